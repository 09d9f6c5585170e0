// The dashboard: one page at a time, chosen by the URL's hash; every figure comes from the JSON API with the
// token given at login, kept in this browser tab's session storage only.
import { api, session, el, ApiError } from "/ui/lib.js";
import cluster from "/ui/pages/cluster.js";
import queue from "/ui/pages/queue.js";
import weights from "/ui/pages/weights.js";
import runs from "/ui/pages/runs.js";
import emissions from "/ui/pages/emissions.js";
import actions from "/ui/pages/actions.js";
import queues from "/ui/pages/queues.js";
import capacity from "/ui/pages/capacity.js";

const READERS = ["operator", "reporter", "admin"];
// Each page with the roles that may see it (as the API's endpoints admit them).
const PAGES = {
  cluster: { title: "Cluster", roles: READERS, render: cluster },
  queue: { title: "Queue and decisions", roles: ["scheduler", ...READERS], render: queue },
  queues: { title: "Queues", roles: READERS, render: queues },
  weights: { title: "Weights", roles: READERS, render: weights },
  runs: { title: "Runs", roles: READERS, render: runs },
  emissions: { title: "Emissions", roles: READERS, render: emissions },
  actions: { title: "Actions", roles: READERS, render: actions },
  capacity: { title: "Capacity", roles: READERS, render: capacity },
};

const main = document.getElementById("page");
let me = null;

function loginPage(message) {
  main.replaceChildren();
  document.title = "Log in - GPU placer";
  document.getElementById("nav").hidden = true;
  document.getElementById("who").textContent = "";
  const form = el("form", { class: "stack", id: "login" },
    el("h2", {}, "Log in"),
    el("p", { class: "note" }, "Paste an API token. It is kept for this browser tab only. The first admin token is " +
      "in data/admin.token (or make one with: java -jar optimizer-service.jar token create --name you --role operator)."),
    el("label", { for: "token" }, "API token"),
    el("input", { id: "token", name: "token", type: "password", autocomplete: "off", required: "" }),
    message ? el("p", { class: "error", role: "alert" }, message) : null,
    el("button", { type: "submit" }, "Log in"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    session.set(form.token.value.trim());
    try {
      me = await api("/v1/me");
      const target = location.hash && location.hash !== "#/login" ? location.hash : "#/cluster";
      if (location.hash === target) route(); else location.hash = target; // the hash change routes

    } catch (err) {
      session.clear();
      loginPage(err instanceof ApiError && err.status === 401 ? "That token is not valid (unknown, revoked or expired)."
        : String(err.message || err));
    }
  });
  main.append(form);
  form.token.focus();
}

function header() {
  const nav = document.getElementById("nav");
  nav.hidden = false;
  const current = (location.hash.replace(/^#\//, "").split("?")[0]) || "cluster";
  for (const a of nav.querySelectorAll("a")) {
    if (a.getAttribute("href") === "#/" + current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const who = document.getElementById("who");
  who.replaceChildren();
  const out = el("button", { type: "button", class: "secondary" }, "Log out");
  out.addEventListener("click", () => { session.clear(); me = null; loginPage(); });
  who.append(`${me.name} (${me.roles.join(", ")}) `, out);
}

async function route() {
  if (!session.get()) return loginPage();
  if (!me) {
    try { me = await api("/v1/me"); } catch (err) { session.clear(); return loginPage("Please log in again."); }
  }
  const name = (location.hash.replace(/^#\//, "").split("?")[0]) || "cluster";
  const page = PAGES[name] || PAGES.cluster;
  header();
  // Each visit renders into a view of its own: one left behind by a quicker visit is simply not shown.
  const view = el("div", { class: "view" });
  main.replaceChildren(view);
  document.title = page.title + " - GPU placer";
  if (!page.roles.some((r) => me.roles.includes(r))) {
    view.append(el("h2", {}, page.title), el("p", { class: "error", role: "alert" },
      `Your role (${me.roles.join(", ")}) may not see this page; it needs one of: ${page.roles.join(", ")}.`));
    return;
  }
  try {
    await page.render(view, { me, can: (...roles) => roles.some((r) => me.roles.includes(r)) });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { session.clear(); me = null; return loginPage("Your token is no longer valid."); }
    view.append(el("p", { class: "error", role: "alert" }, "Could not load this page: " + (err.message || err)));
  }
  main.focus();
}

window.addEventListener("hashchange", route);
route();
