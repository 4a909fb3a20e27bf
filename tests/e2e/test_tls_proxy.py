#!/usr/bin/env python3
"""The engine as deployed: Debian's nginx runs the shipped deploy/nginx/halfhour.conf (only its
addresses, ports and certificate paths changed) with a throw-away self-signed certificate in front
of a real engine. Over HTTPS a crew's phone page gets the position on 到场 and a Secure session
cookie; the board's event stream comes through unbuffered; HTTP/2 is spoken; a body over the
engine's limit is refused at the proxy as the engine refuses it; and the address login attempts are
counted on is the one the proxy saw, never one a client wrote."""
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess

import harness

HERE = os.path.dirname(os.path.abspath(__file__))
SHIPPED = os.path.join(HERE, "..", "..", "deploy", "nginx", "halfhour.conf")
HOST = "halfhour.test"  # not loopback's name: only HTTPS makes the page a secure context


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def replace_once(text, old, new):
    """The shipped file with one line changed; fails when the line is not there exactly once, so
    the test cannot drift from what is shipped."""
    if text.count(old) != 1:
        raise AssertionError(f"deploy/nginx/halfhour.conf: expected {old!r} once")
    return text.replace(old, new)


class Nginx:
    def __init__(self, root, engine_port):
        self.dir = os.path.join(root, "nginx")
        os.makedirs(self.dir)
        self.https_port, self.http_port = free_port(), free_port()
        cert, key = os.path.join(self.dir, "cert.pem"), os.path.join(self.dir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=" + HOST,
                        "-addext", "subjectAltName=DNS:" + HOST, "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        with open(SHIPPED, encoding="utf-8") as f:
            site = f.read()
        site = replace_once(site, "server 127.0.0.1:8080;", f"server 127.0.0.1:{engine_port};")
        site = replace_once(site, "    listen 80;\n    listen [::]:80;\n", f"    listen 127.0.0.1:{self.http_port};\n")
        site = replace_once(site, "    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n",
                            f"    listen 127.0.0.1:{self.https_port} ssl http2;\n")
        site = replace_once(site, "/etc/halfhour/tls/fullchain.pem", cert)
        site = replace_once(site, "/etc/halfhour/tls/privkey.pem", key)
        with open(os.path.join(self.dir, "site.conf"), "w", encoding="utf-8") as f:
            f.write(site)
        temp = "".join(f"    {kind}_temp_path {self.dir}/{kind};\n"
                       for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        # As root the workers would otherwise drop to nobody, who cannot enter the test's folder.
        user = "user root;\n" if os.geteuid() == 0 else ""
        with open(os.path.join(self.dir, "nginx.conf"), "w", encoding="utf-8") as f:
            f.write(f"{user}daemon off;\nworker_processes 1;\npid {self.dir}/nginx.pid;\n"
                    f"error_log {self.dir}/error.log warn;\nevents {{ worker_connections 256; }}\n"
                    f"http {{\n    access_log off;\n{temp}    include {self.dir}/site.conf;\n}}\n")
        self.proc = None

    def start(self):
        conf = os.path.join(self.dir, "nginx.conf")
        check = subprocess.run(["nginx", "-t", "-p", self.dir, "-c", conf], capture_output=True, text=True)
        if check.returncode != 0:
            raise AssertionError("nginx -t: " + check.stderr)
        self.proc = subprocess.Popen(["nginx", "-p", self.dir, "-c", conf], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)

        def listening():
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return True
            except OSError:
                return False
        harness.wait_for(listening, 10, "nginx listening")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def request(self, method, path, body=None, headers=None):
        context = ssl.create_default_context(cafile=os.path.join(self.dir, "cert.pem"))
        context.check_hostname = False  # the certificate names HOST; the socket is 127.0.0.1
        conn = http.client.HTTPSConnection("127.0.0.1", self.https_port, timeout=10, context=context)
        try:
            conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
            resp = conn.getresponse()
            return resp.status, resp.read(), dict(resp.getheaders())
        finally:
            conn.close()


class BehindNginx(harness.EngineCase):
    PREFIX = "halfhour-tls-"
    CONFIG = {"limits": {"on_site_seconds": 1800, "contact_seconds": 1800},
              "http": {"trusted_proxies": ["127.0.0.1"]}}

    def setUp(self):
        super().setUp()
        self.nginx = Nginx(self.root, self.engine.port)
        self.nginx.start()

    def tearDown(self):
        self.nginx.stop()
        super().tearDown()

    def login(self, via, phone, code, forwarded_for=None):
        headers = {"Content-Type": "application/json"}
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        return via.request("POST", "/v1/auth/login", json.dumps({"phone": phone, "code": code}).encode(), headers)[0]

    def test_the_crew_page_over_https_gets_the_position_and_a_secure_cookie(self):
        code = self.engine.crew_add("13900000011", "李师傅", "临客嘉物业")
        status, job, _ = self.engine.post_ticket({"ticket_no": "TLS-1", "content": "3号楼电梯困人，有老人在里面",
                                                  "address": "丹桂苑3号楼", "caller_phone": "13812345678"})
        self.assertEqual(status, 201, job)
        status, again, _ = self.engine.post_ticket({"ticket_no": "TLS-2", "content": "电梯困人了，在3号楼",
                                                    "address": "丹桂苑3号楼", "caller_phone": "13700001234"})
        self.assertEqual((status, again["id"]), (200, job["id"]))
        seen = self.run_page("crew_page.mjs", f"https://{HOST}:{self.nginx.https_port}/crew/", "13900000011", code,
                             job["id"], os.environ.get("HALFHOUR_SCREENSHOT", ""), "crew")
        self.assertTrue(seen["secure_context"], "HTTPS makes the page a secure context")
        self.assertEqual(seen["cookie"], {"secure": True, "httpOnly": True, "sameSite": "Strict"})
        self.assertIn("到场：已按时完成", seen["after_arrival"])
        _, order = self.engine.get_order(job["id"])
        [arrived] = [e for e in order["history"] if e["kind"] == "ARRIVED"]
        self.assertAlmostEqual(arrived["position"]["latitude"], 31.1523, places=4)
        self.assertAlmostEqual(arrived["position"]["longitude"], 121.5031, places=4)

    def test_plain_http_is_sent_to_https(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.nginx.http_port, timeout=10)
        conn.request("GET", "/crew/", headers={"Host": HOST})
        resp = conn.getresponse()
        self.assertEqual(resp.status, 301)
        self.assertEqual(resp.getheader("Location"), f"https://{HOST}/crew/")
        conn.close()

    def test_http2_is_spoken_and_hsts_sent(self):
        out = subprocess.run(["curl", "-sk", "--http2", "-o", "/dev/null", "-D", "-", "-w", "%{http_version}",
                              "--resolve", f"{HOST}:{self.nginx.https_port}:127.0.0.1",
                              f"https://{HOST}:{self.nginx.https_port}/healthz"], capture_output=True, text=True,
                             timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertTrue(out.stdout.endswith("2"), out.stdout)
        self.assertIn("strict-transport-security: max-age=31536000", out.stdout.lower())

    def test_the_board_stream_comes_through_at_once(self):
        token = self.engine.operator_token()
        context = ssl.create_default_context(cafile=os.path.join(self.nginx.dir, "cert.pem"))
        context.check_hostname = False
        conn = http.client.HTTPSConnection("127.0.0.1", self.nginx.https_port, timeout=10, context=context)
        conn.request("GET", "/v1/board/events", headers={"Host": HOST, "Authorization": "Bearer " + token})
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertTrue(resp.getheader("Content-Type").startswith("text/event-stream"))
        # The first snapshot arrives while the stream stays open: nothing is held back to fill a buffer.
        self.assertEqual(harness.read_event(resp), "board")
        conn.close()

    def test_a_body_over_the_engines_limit_is_refused_at_the_proxy_as_the_engine_refuses_it(self):
        big = json.dumps({"ticket_no": "TLS-BIG", "content": "水" * 30000}).encode()
        self.assertGreater(len(big), 64 * 1024)
        status, raw, headers = self.nginx.request("POST", "/v1/hotline/tickets", big,
                                                  {"Content-Type": "application/json"})
        self.assertEqual(status, 413)
        self.assertEqual(json.loads(raw)["error"]["code"], "body_too_large")
        self.assertEqual(self.redis.work_order_count(), 0)
        status, job, _ = self.engine.post_ticket({"ticket_no": "TLS-SMALL", "content": "楼道灯坏了",
                                                  "address": "丹桂苑3号楼"})
        self.assertEqual(status, 201, job)

    def test_login_attempts_count_on_the_address_the_proxy_saw(self):
        # The engine's peer is 127.0.0.1, a trusted proxy: it believes the address named last.
        for i in range(30):
            self.assertEqual(self.login(self.engine, f"1380000{i:04d}", "000000", "198.51.100.7"), 401)
        self.assertEqual(self.login(self.engine, "13800009999", "000000", "198.51.100.7"), 429, "that address is locked")
        self.assertEqual(self.login(self.engine, "13800009999", "000000", "198.51.100.8"), 401, "another is not")
        # Through nginx a client's own X-Forwarded-For is replaced: rotating it does not dodge the count.
        for i in range(30):
            self.assertEqual(self.login(self.nginx, f"1370000{i:04d}", "000000", f"203.0.113.{i}"), 401)
        self.assertEqual(self.login(self.nginx, "13700009999", "000000", "203.0.113.99"), 429)


if __name__ == "__main__":
    if not shutil.which("nginx"):
        raise SystemExit("nginx is not installed (deploy/install-deps.sh installs nginx-light)")
    harness.main()
