// The staff pages: set up nhsuk-frontend's components in fragments htmx swaps in (scroll regions,
// buttons, error summaries and success banners, which take focus as on a full page load, so a
// screen reader hears them). When a link opens a form in place ("Enter a value for a new
// period", "Correct the published figures"), focus moves to the form's heading, so the next Tab
// goes into the form rather than starting again from the top of the page (WCAG 2.4.3).
import { initAll } from "../vendor/nhsuk-frontend-10.6.1/nhsuk-frontend.min.js";

let lastVerb = null;

function focusOpenedForm(element) {
  if (!element.querySelector || !element.querySelector("form")) return;
  if (element.querySelector(".nhsuk-error-summary")) return; // it takes focus itself
  const heading = element.querySelector("h2, h3");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.classList.add("app-focus-target");
    heading.focus();
    return;
  }
  const field = element.querySelector("input:not([type=hidden]), select, textarea");
  if (field) field.focus();
}

if (window.htmx) {
  document.addEventListener("htmx:configRequest", (event) => {
    lastVerb = event.detail.verb;
  });
  window.htmx.onLoad((element) => {
    if (element === document.body) return; // the full page: nhsuk-frontend-init.js did it
    initAll({ scope: element });
    if (lastVerb === "get") focusOpenedForm(element);
    lastVerb = null;
  });
}
