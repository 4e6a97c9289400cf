// Builds the front end into static/build/ (git-ignored): compiles static/scss/pact.scss and
// copies the vendor files pinned by package-lock.json, so nothing is fetched at run time
// (no CDN). Run after `npm ci`; the Makefile does both. Safe to run again: outputs are
// rewritten only when their content changes, so Django's and the browser's caches stay warm.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const build = join(root, "static", "build");
const modules = join(root, "node_modules");

// [source under node_modules, destination under static/build/vendor]. Source maps are copied
// too because Django's manifest storage follows each sourceMappingURL and fails without them.
// GOV.UK Frontend's own assets (crown, GDS Transport font, GOV.UK favicons) are deliberately
// left out: Kent Police is not a GOV.UK service.
const vendorFiles = [
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk-frontend.min.js"],
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js.map", "govuk-frontend.min.js.map"],
  ["leaflet/dist/leaflet.js", "leaflet/leaflet.js"],
  ["leaflet/dist/leaflet.js.map", "leaflet/leaflet.js.map"],
  ["leaflet/dist/leaflet.css", "leaflet/leaflet.css"],
  ...readdirSync(join(modules, "leaflet/dist/images")).map((name) => [
    `leaflet/dist/images/${name}`,
    `leaflet/images/${name}`,
  ]),
  // Its stylesheet is compiled into pact.css (static/scss/pact.scss).
  ...["accessible-autocomplete.min.js", "accessible-autocomplete.min.js.map"].map((name) => [`accessible-autocomplete/dist/${name}`, `accessible-autocomplete/${name}`]),
  ["axe-core/axe.min.js", "axe.min.js"],
];

function writeIfChanged(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path) && readFileSync(path).equals(content)) return false;
  writeFileSync(path, content);
  return true;
}

function compileCss() {
  const result = sass.compile(join(root, "static/scss/pact.scss"), {
    style: "compressed",
    importers: [new sass.NodePackageImporter(root)],
    loadPaths: [modules],
    // GOV.UK Frontend still triggers Sass deprecation notices we cannot fix from here.
    quietDeps: true,
    silenceDeprecations: ["import"],
  });
  return writeIfChanged(join(build, "css/pact.css"), Buffer.from(result.css));
}

function copyVendor() {
  const vendor = join(build, "vendor");
  const wanted = new Set(vendorFiles.map(([, to]) => join(vendor, to)));
  let changed = 0;
  for (const [from, to] of vendorFiles) {
    if (writeIfChanged(join(vendor, to), readFileSync(join(modules, from)))) changed += 1;
  }
  // Drop files left by an older build so collectstatic never ships a stale copy.
  for (const entry of readdirSync(vendor, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && !wanted.has(path)) {
      rmSync(path);
      changed += 1;
    }
  }
  return changed;
}

const started = Date.now();
const cssChanged = compileCss();
const vendorChanged = copyVendor();
console.log(
  `build-assets: ${relative(root, build)}/ css ${cssChanged ? "rebuilt" : "unchanged"}, ` +
    `${vendorChanged} vendor file(s) updated, ${Date.now() - started} ms`,
);
