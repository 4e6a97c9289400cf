// GOV.UK Frontend's body-class snippet, in a file because the Content Security Policy allows no
// inline script. It is loaded synchronously as the first child of <body> (document.body does
// not exist yet in <head>) so that components are styled for JavaScript before first paint.
// Only browsers that run ES modules get govuk-frontend-supported, as GOV.UK Frontend expects.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
