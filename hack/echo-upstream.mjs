// `make run`'s demo app behind the quickstart outpost: answers every request with the request
// headers it received, as JSON, so the identity headers the outpost adds can be seen.
// Usage: node hack/echo-upstream.mjs PORT   (listens on 127.0.0.1 only)
import http from "node:http";

const port = Number(process.argv[2] ?? 9401);
http
  .createServer((request, response) => {
    const body = JSON.stringify({ method: request.method, path: request.url, headers: request.headers }, null, 2);
    response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    response.end(body + "\n");
  })
  .listen(port, "127.0.0.1", () => console.log(`echo upstream on http://127.0.0.1:${port}`));
