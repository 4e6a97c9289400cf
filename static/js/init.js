// Starts every GOV.UK Frontend component on the page. The relative path resolves to the vendor
// copy made by scripts/build-assets.mjs both under runserver and after collectstatic, where
// the unhashed copy is kept beside the hashed one.
import { initAll } from "../build/vendor/govuk-frontend.min.js";

initAll();
