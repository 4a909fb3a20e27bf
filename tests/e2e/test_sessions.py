#!/usr/bin/env python3
"""The pages' sessions in cookies: a page's login sets an HttpOnly, SameSite=Strict cookie and
tells no script the token; a change on the cookie needs the pages' header; Secure only when a
trusted proxy says HTTPS; logout, a new code and removal end cookie sessions in Redis and the
board's stream with them; and in real headless Chromium, no URL the board requests carries the
token and a page of another site cannot act for a signed-in crew. Bearer tokens keep working."""
import hashlib
import http.client
import json
import re
import subprocess

import harness

PAGE = {"X-Requested-With": "halfhour"}


def session_key(token):
    return "hh:{auth}:session:" + hashlib.sha256(token.encode()).hexdigest()


class Cookies(harness.EngineCase):
    PREFIX = "halfhour-sessions-"

    def login(self, phone, code, headers=None):
        return self.engine.request("POST", "/v1/auth/login", json.dumps({"phone": phone, "code": code}).encode(),
                                   {"Content-Type": "application/json", **(headers or {})})

    def page_login(self, phone, code, headers=None):
        """A page's login: the token of the cookie it sets, and the Set-Cookie line."""
        status, raw, got = self.login(phone, code, {**PAGE, **(headers or {})})
        self.assertEqual(status, 200, raw)
        m = re.match(r"hh_session=([0-9a-f]{64});", got.get("Set-Cookie", ""))
        self.assertTrue(m, got)
        return m.group(1), got["Set-Cookie"]

    def as_page(self, method, path, token, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        return self.engine.request(method, path, data, {"Content-Type": "application/json",
                                                        "Cookie": "theme=dark; hh_session=" + token, **(headers or {})})

    def history(self, wo_id, kind):
        return [e for e in self.engine.get_order(wo_id)[1]["history"] if e["kind"] == kind]

    def test_a_pages_login_is_a_cookie_no_script_reads_and_api_clients_keep_their_token(self):
        code = self.engine.crew_add("13500000001", "李师傅", "临客嘉物业")
        status, raw, got = self.login("13500000001", code, PAGE)
        self.assertEqual(status, 200, raw)
        body = json.loads(raw)
        self.assertEqual(body["token"], "", "a page is not told the token")
        self.assertEqual(body["member"]["name"], "李师傅")
        cookie = got["Set-Cookie"]
        token = re.match(r"hh_session=([0-9a-f]{64});", cookie).group(1)
        attributes = [a.strip() for a in cookie.split(";")[1:]]
        self.assertEqual(sorted(attributes), sorted(["Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=43200"]))
        self.assertNotIn("Secure", cookie, "plain HTTP, no trusted proxy")
        self.assertEqual(got.get("Cache-Control"), "no-store")
        self.assertEqual(self.redis.cli("EXISTS", session_key(token)).strip(), "1")
        self.assertEqual(self.as_page("GET", "/v1/crew/jobs", token)[0], 200)
        # An API client: the token in the body, no cookie.
        code = self.engine.crew_add("13500000001", "李师傅", "临客嘉物业")
        status, raw, got = self.login("13500000001", code)
        self.assertEqual(status, 200)
        bearer = json.loads(raw)["token"]
        self.assertRegex(bearer, "^[0-9a-f]{64}$")
        self.assertNotIn("Set-Cookie", got)
        self.assertEqual(self.engine.request("GET", "/v1/crew/jobs", None, {"Authorization": "Bearer " + bearer})[0],
                         200)
        # The header decides when it is there, even beside a live cookie.
        live, _ = self.page_login("13500000001", self.engine.crew_add("13500000001", "李师傅", "临客嘉物业"))
        self.assertEqual(self.as_page("GET", "/v1/crew/jobs", live)[0], 200)
        self.assertEqual(self.as_page("GET", "/v1/crew/jobs", live, headers={"Authorization": "Bearer " + "f" * 64})[0],
                         401)

    def test_a_change_on_the_cookie_needs_the_pages_header_and_changes_nothing_without(self):
        status, job, _ = self.engine.post_ticket({"ticket_no": "CK-1", "content": "门禁坏了", "address": "丹桂苑6号楼"})
        self.assertEqual(status, 201, job)
        token, _ = self.page_login("13500000002", self.engine.crew_add("13500000002", "王师傅", "临客嘉物业"))
        path = f"/v1/crew/jobs/{job['id']}/acknowledge"
        for headers in ({}, {"X-Requested-With": "XMLHttpRequest"}):
            status, raw, _ = self.as_page("POST", path, token, {"request_id": "r1"}, headers)
            self.assertEqual(status, 403, raw)
            self.assertEqual(json.loads(raw)["error"]["code"], "page_header_missing")
        self.assertEqual(self.engine.get_order(job["id"])[1]["state"], "DISPATCHED")
        self.assertEqual(self.history(job["id"], "ACKNOWLEDGED"), [])
        status, raw, _ = self.as_page("POST", path, token, {"request_id": "r1"}, PAGE)
        self.assertEqual(status, 200, raw)
        self.assertEqual(json.loads(raw)["state"], "ACKNOWLEDGED")
        # The committee's form: refused before anything is read, no work order made.
        committee, _ = self.page_login("13500000003", self.engine.crew_add("13500000003", "居委小周", "凌四",
                                                                            "committee"))
        before = self.redis.work_order_count()
        form = {"form_no": "F-CK", "kind": "walk_in", "community": "丹桂苑", "text": "3号楼水管爆裂，水漫出来了"}
        status, raw, _ = self.as_page("POST", "/v1/channels/walk-in", committee, form)
        self.assertEqual(status, 403, raw)
        self.assertEqual(self.redis.work_order_count(), before)
        self.assertIn(self.as_page("POST", "/v1/channels/walk-in", committee, form, PAGE)[0], (200, 201))
        self.assertEqual(self.redis.work_order_count(), before + 1)

    def test_logout_ends_the_session_in_redis_and_drops_the_cookie(self):
        token, _ = self.page_login("13500000004", self.engine.crew_add("13500000004", "赵师傅", "临客嘉物业"))
        status, raw, _ = self.as_page("POST", "/v1/auth/logout", token)
        self.assertEqual(status, 403, "a cross-site form must not log a crew out either")
        self.assertEqual(self.redis.cli("EXISTS", session_key(token)).strip(), "1")
        status, raw, got = self.as_page("POST", "/v1/auth/logout", token, None, PAGE)
        self.assertEqual(status, 200, raw)
        self.assertEqual(got["Set-Cookie"], "hh_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
        self.assertEqual(self.redis.cli("EXISTS", session_key(token)).strip(), "0")
        self.assertEqual(self.as_page("GET", "/v1/crew/jobs", token)[0], 401)
        status, _, got = self.as_page("POST", "/v1/auth/logout", token, None, PAGE)
        self.assertEqual(status, 401)
        self.assertIn("Max-Age=0", got["Set-Cookie"], "an ended session's cookie goes too")

    def open_stream(self, headers):
        conn = http.client.HTTPConnection("127.0.0.1", self.engine.port, timeout=15)
        conn.request("GET", "/v1/board/events", headers=headers)
        return conn, conn.getresponse()

    def test_a_new_code_and_removal_end_cookie_sessions_and_the_boards_stream(self):
        phone = "13500000005"
        token, _ = self.page_login(phone, self.engine.crew_add(phone, "值班员", "建管中心", "supervisor"))
        conn, resp = self.open_stream({"Cookie": "hh_session=" + token})
        self.assertEqual(resp.status, 200)
        self.assertEqual(harness.read_event(resp), "board")
        code = self.engine.crew_add(phone, "值班员", "建管中心", "supervisor")  # a new code
        event = harness.read_event(resp)
        while event == "board":
            event = harness.read_event(resp)
        self.assertEqual(event, "ended")
        resp.close()
        conn.close()
        self.assertEqual(self.redis.cli("EXISTS", session_key(token)).strip(), "0")
        self.assertEqual(self.as_page("GET", "/v1/board", token)[0], 401)
        token, _ = self.page_login(phone, code)
        self.assertEqual(self.as_page("GET", "/v1/board", token)[0], 200)
        out = subprocess.run([harness.binary(), "crew", "remove", "--phone", phone, "--redis-socket",
                              self.redis.socket], capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(self.as_page("GET", "/v1/board", token)[0], 401, "removal ends the cookie's session")
        self.assertEqual(self.redis.cli("EXISTS", session_key(token)).strip(), "0")

    def test_a_token_in_the_url_is_no_session_and_loopback_is_no_trusted_proxy(self):
        phone = "13500000006"
        status, raw, _ = self.login(phone, self.engine.crew_add(phone, "值班员", "建管中心", "supervisor"))
        bearer = json.loads(raw)["token"]
        self.assertEqual(self.engine.request("GET", "/v1/board/events?access_token=" + bearer)[0], 401)
        conn, resp = self.open_stream({"Authorization": "Bearer " + bearer})
        self.assertEqual(resp.status, 200, "API clients send the header")
        resp.close()
        conn.close()
        _, cookie = self.page_login(phone, self.engine.crew_add(phone, "值班员", "建管中心", "supervisor"),
                                    {"X-Forwarded-Proto": "https"})
        self.assertNotIn("Secure", cookie, "nobody is trusted unless configured, loopback neither")

    def test_in_chromium_no_url_carries_the_token_and_another_site_cannot_act(self):
        status, job, _ = self.engine.post_ticket({"ticket_no": "CK-2", "content": "门禁坏了", "address": "丹桂苑6号楼"})
        self.assertEqual(status, 201, job)
        centre = self.engine.crew_add("13500000007", "城运中心值班员", "建管中心", "supervisor")
        crew = self.engine.crew_add("13500000008", "钱师傅", "临客嘉物业")
        seen = self.run_page("session_page.mjs", f"http://127.0.0.1:{self.engine.port}", "13500000007", centre,
                             "13500000008", crew, job["id"])
        self.assertEqual(seen["board_cookie"], {"httpOnly": True, "sameSite": "Strict", "secure": False, "path": "/"})
        token = seen["board_token"]
        self.assertRegex(token, "^[0-9a-f]{64}$")
        self.assertTrue(any(u.endswith("/v1/board/events") for u in seen["board_urls"]), seen["board_urls"])
        for url in seen["board_urls"]:
            self.assertNotIn(token, url)
            self.assertNotIn("token", url)
        self.assertNotIn(token, seen["board_script_sees"], "neither document.cookie nor localStorage hold it")
        self.assertEqual(seen["cross_site_form_status"], 401, "SameSite=Strict: the cookie stayed home")
        self.assertFalse(seen["cross_site_form_cookie_sent"])
        self.assertEqual(seen["state_after_other_site"], "DISPATCHED")
        self.assertEqual(seen["own_without_header"], 403)
        self.assertEqual(seen["own_with_header"], 200)
        self.assertEqual(len(self.history(job["id"], "ACKNOWLEDGED")), 1)
        self.assertFalse(seen["cookie_after_logout"])
        self.assertEqual(self.redis.cli("EXISTS", session_key(seen["crew_token"])).strip(), "0")


class BehindAProxy(harness.EngineCase):
    """Secure only when a configured proxy says HTTPS."""
    PREFIX = "halfhour-sessions-proxy-"
    CONFIG = {"http": {"trusted_proxies": ["127.0.0.1"]}}

    def test_the_cookie_is_secure_when_the_trusted_proxy_says_https(self):
        def cookie(phone, headers):
            code = self.engine.crew_add(phone, "李师傅", "临客嘉物业")
            status, raw, got = self.engine.request(
                "POST", "/v1/auth/login", json.dumps({"phone": phone, "code": code}).encode(),
                {"Content-Type": "application/json", **PAGE, **headers})
            self.assertEqual(status, 200, raw)
            return got["Set-Cookie"]

        self.assertIn("; Secure", cookie("13600000001", {"X-Forwarded-Proto": "https"}))
        self.assertNotIn("Secure", cookie("13600000001", {"X-Forwarded-Proto": "http"}))
        self.assertNotIn("Secure", cookie("13600000001", {}))
        secure = cookie("13600000001", {"X-Forwarded-Proto": "https"})
        token = re.match(r"hh_session=([0-9a-f]{64});", secure).group(1)
        status, _, got = self.engine.request("POST", "/v1/auth/logout", None,
                                             {"Cookie": "hh_session=" + token, "X-Forwarded-Proto": "https", **PAGE})
        self.assertEqual(status, 200)
        self.assertIn("; Secure", got["Set-Cookie"])


if __name__ == "__main__":
    harness.main()
