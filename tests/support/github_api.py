"""A stand-in for the part of GitHub's REST API that the Action's comment
step uses, on a loopback port: list an issue's comments (paged), create
one, edit one. Requests must carry `Authorization: Bearer test-token`;
only comments of the token's user (`github-actions[bot]`) can be edited.
GET /_state returns every comment and the requests made.

    python3 github_api.py SEED.json    # prints the port, then serves

SEED.json maps issue numbers to lists of {"user": ..., "body": ...}.
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

TOKEN_USER = "github-actions[bot]"
comments = {}  # issue number -> [{"id", "user", "body"}]
requests = []
next_id = [1000]


def user(login):
    """A comment's author as GitHub gives it: apps are of type Bot."""
    return {"login": login, "type": "Bot" if login.endswith("[bot]") else "User"}


def seed(path):
    with open(path, encoding="utf-8") as f:
        for number, items in json.load(f).items():
            for item in items:
                next_id[0] += 1
                comments.setdefault(int(number), []).append(
                    {"id": next_id[0], "user": user(item["user"]), "body": item["body"]}
                )


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, value):
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authorised(self):
        if self.headers.get("Authorization") != "Bearer test-token":
            self.reply(401, {"message": "Bad credentials"})
            return False
        return True

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}")

    def parts(self):
        url = urlparse(self.path)
        return [p for p in url.path.split("/") if p], parse_qs(url.query)

    def do_GET(self):
        parts, query = self.parts()
        if parts == ["_state"]:
            return self.reply(200, {"comments": comments, "requests": requests})
        requests.append(["GET", self.path])
        if not self.authorised():
            return
        # /repos/OWNER/REPO/issues/N/comments
        if len(parts) == 6 and parts[0] == "repos" and parts[3] == "issues" and parts[5] == "comments":
            per_page = int(query.get("per_page", ["30"])[0])
            page = int(query.get("page", ["1"])[0])
            items = comments.get(int(parts[4]), [])
            return self.reply(200, items[(page - 1) * per_page : page * per_page])
        self.reply(404, {"message": "Not Found"})

    def do_POST(self):
        parts, _ = self.parts()
        requests.append(["POST", self.path])
        if not self.authorised():
            return
        if len(parts) == 6 and parts[3] == "issues" and parts[5] == "comments":
            next_id[0] += 1
            item = {"id": next_id[0], "user": user(TOKEN_USER), "body": self.body()["body"]}
            comments.setdefault(int(parts[4]), []).append(item)
            return self.reply(201, item)
        self.reply(404, {"message": "Not Found"})

    def do_PATCH(self):
        parts, _ = self.parts()
        requests.append(["PATCH", self.path])
        if not self.authorised():
            return
        # /repos/OWNER/REPO/issues/comments/ID
        if len(parts) == 6 and parts[3] == "issues" and parts[4] == "comments":
            for items in comments.values():
                for item in items:
                    if str(item["id"]) == parts[5]:
                        if item["user"]["login"] != TOKEN_USER:
                            return self.reply(403, {"message": "Resource not accessible by integration"})
                        item["body"] = self.body()["body"]
                        return self.reply(200, item)
        self.reply(404, {"message": "Not Found"})


if __name__ == "__main__":
    seed(sys.argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
