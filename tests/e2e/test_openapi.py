#!/usr/bin/env python3
"""docs/openapi.yaml against the running engine: every documented operation exists (answers
something other than "no such route" or 405), and what it answers to an empty or anonymous
request is one of the statuses the document lists for it."""
import json
import os
import re
import shutil
import tempfile
import unittest

import yaml

import harness
from harness import Engine, Redis

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.join(HERE, "..", "..", "docs", "openapi.yaml")
NO_ROUTE = ("没有这个接口", "没有这个操作", "页面不存在")


class OpenApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="halfhour-openapi-")
        cls.redis = Redis(cls.root)
        cls.redis.start()
        cls.engine = Engine(cls.root, cls.redis, {})
        cls.engine.start()
        with open(DOC) as f:
            cls.doc = yaml.safe_load(f)

    @classmethod
    def tearDownClass(cls):
        harness.shut_down(cls.engine, cls.redis, cls.root)

    def test_every_documented_operation_is_served_with_a_documented_status(self):
        tried = 0
        for path, ops in self.doc["paths"].items():
            concrete = path.replace("{id}", "W00-000001").replace("{action}", "acknowledge")
            for method, op in ops.items():
                body, headers = None, {}
                if method == "post":
                    body, headers = b"{}", {"Content-Type": "application/json"}
                status, raw, _ = self.engine.request(method.upper(), concrete, body, headers)
                text = raw.decode(errors="replace")
                with self.subTest(path=path, method=method):
                    self.assertNotEqual(status, 405, text)
                    self.assertFalse(any(w in text for w in NO_ROUTE), f"{method} {path}: {status} {text}")
                    self.assertIn(str(status), op["responses"], f"{method} {path} answered {status}: {text}")
                    tried += 1
        self.assertGreaterEqual(tried, 26)

    def test_paths_not_in_the_document_are_not_served(self):
        for path in ("/v1/nope", "/v1/channels/email", "/open311/v2/discovery.json", "/v1/work-orders/W00-000001/merge"):
            status, raw, _ = self.engine.request("GET", path)
            self.assertEqual(status, 404, path)

    def test_the_document_names_every_schema_it_refers_to(self):
        text = open(DOC).read()
        for ref in set(re.findall(r"#/components/(\w+)/(\w+)", text)):
            self.assertIn(ref[1], self.doc["components"][ref[0]], ref)


if __name__ == "__main__":
    harness.main()
