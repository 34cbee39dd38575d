// Client-side routing: the page's state lives in the path and query string, so every view is
// a shareable URL. Pages register a render(root, url) function returning an optional cleanup.

const routes = [];
let cleanup = null;
let rendering = 0;

/** route(/^\/trace\/([^/]+)$/, render): the first matching pattern renders the page. */
export function route(pattern, render) {
  routes.push({ pattern, render });
}

/** Go to href (same origin) and render it; replace=true keeps the history length. */
export function navigate(href, { replace = false } = {}) {
  const url = new URL(href, location.href);
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  renderCurrent();
}

/** Update the query string in place (no re-render): for state a page applies itself. */
export function setQuery(params, { push = false } = {}) {
  const url = new URL(location.href);
  for (const [key, value] of Object.entries(params)) {
    url.searchParams.delete(key);
    for (const v of [].concat(value ?? [])) {
      if (v !== undefined && v !== null && v !== "" && v !== false) url.searchParams.append(key, v);
    }
  }
  if (url.href === location.href) return;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
}

/** Render the page for the current location into #view. */
export async function renderCurrent() {
  const root = document.getElementById("view");
  const url = new URL(location.href);
  if (cleanup) {
    try {
      cleanup();
    } catch (error) {
      console.error(error);
    }
    cleanup = null;
  }
  const token = ++rendering;
  performance.mark("otel-route-start");
  for (const { pattern, render } of routes) {
    const match = url.pathname.match(pattern);
    if (!match) continue;
    markNav(url.pathname);
    root.replaceChildren();
    root.setAttribute("aria-busy", "true");
    try {
      const result = await render(root, url, match);
      if (token === rendering) cleanup = typeof result === "function" ? result : null;
      else if (typeof result === "function") result();
    } catch (error) {
      console.error(error);
      const p = document.createElement("p");
      p.className = "notice notice-error";
      p.setAttribute("role", "alert");
      p.textContent = `Could not show this page: ${error.message}`;
      root.replaceChildren(p);
    } finally {
      if (token === rendering) root.removeAttribute("aria-busy");
    }
    return;
  }
  root.textContent = "Page not found.";
}

function markNav(pathname) {
  for (const a of document.querySelectorAll("nav.main-nav a")) {
    const section = a.getAttribute("data-section");
    const active =
      section === "search" ? pathname === "/" || pathname.startsWith("/search") || pathname.startsWith("/trace") : pathname.startsWith(`/${section}`);
    if (active) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

/** Same-origin links marked data-route navigate without reloading the page. */
export function installLinkHandler() {
  document.addEventListener("click", (event) => {
    const a = event.target.closest("a[data-route]");
    if (!a || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin) return;
    event.preventDefault();
    navigate(url.href);
  });
  window.addEventListener("popstate", renderCurrent);
}
