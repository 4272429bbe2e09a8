// The staff pages: set up nhsuk-frontend's components in fragments htmx swaps in (scroll regions,
// buttons, error summaries and success banners, which take focus as on a full page load, so a
// screen reader hears them).
import { initAll } from "../vendor/nhsuk-frontend-10.6.1/nhsuk-frontend.min.js";

if (window.htmx) {
  window.htmx.onLoad((element) => {
    if (element === document.body) return; // the full page: nhsuk-frontend-init.js did it
    initAll({ scope: element });
  });
}
