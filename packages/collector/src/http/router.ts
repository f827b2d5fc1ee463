/** A route's handler: the request and the path's `:params`. */
export type Handler = (request: Request, params: Record<string, string>) => Promise<Response>;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

/** A small method + path router: `/v1/loops/:id/transitions`. */
export function createRouter() {
  const routes: Route[] = [];
  return {
    /** Every route added, as `{ method, path }` with its `:params` (what the API document must name). */
    routes(): { method: string; path: string }[] {
      return routes.map((r) => ({ method: r.method, path: `/${r.parts.join("/")}` }));
    },
    add(method: string, path: string, handler: Handler) {
      routes.push({ method, parts: path.split("/").filter(Boolean), handler });
    },
    /** The handler and params for a request, or which methods the path allows (405), or nothing (404). */
    match(method: string, pathname: string) {
      const parts = pathname.split("/").filter(Boolean);
      const allowed: string[] = [];
      for (const r of routes) {
        if (r.parts.length !== parts.length) continue;
        const params: Record<string, string> = {};
        const ok = r.parts.every((p, i) => {
          const got = parts[i] as string;
          if (p.startsWith(":")) {
            try {
              params[p.slice(1)] = decodeURIComponent(got);
              return true;
            } catch {
              return false;
            }
          }
          return p === got;
        });
        if (!ok) continue;
        if (r.method === method) return { handler: r.handler, params };
        allowed.push(r.method);
      }
      return { allowed };
    },
  };
}
