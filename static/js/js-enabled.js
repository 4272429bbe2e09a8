// Loaded (not deferred) at the start of <body>: tells nhsuk-frontend's CSS that JavaScript runs and
// whether the browser supports ES modules, before the page paints. Kept out of the HTML for the CSP.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
