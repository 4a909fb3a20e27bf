// The reporter's own page after 完工 (回访): the link in the completion SMS opens it, shows the
// job and takes one rating. The link is the credential (dispatcher/rating_link.hpp): no login.
#pragma once

#include "dispatcher/endpoint.hpp"

namespace halfhour {

// GET /r/{token}: the page itself (the token stays in the address for its script).
boost::asio::awaitable<http::response> get_rate_page(route_context& c, http::request req, path_params p);
// GET /v1/ratings/{token}: the job as the page shows it. 404 a link we did not make (or for a
// report split off since), 410 one past its time and never used.
boost::asio::awaitable<http::response> get_rating(route_context& c, http::request req, path_params p);
// POST /v1/ratings/{token} {"outcome", "note", "request_id"}: the rating, once. 409 when the
// link was used already (with what was said), 410 when it expired.
boost::asio::awaitable<http::response> post_rating(route_context& c, http::request req, path_params p);

}  // namespace halfhour
