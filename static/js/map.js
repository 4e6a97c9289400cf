// Turns the ward map's inline SVG into a Leaflet map when Leaflet and the boundaries load.
// Leaflet itself is loaded here, once a map is about to be seen (data-leaflet-js/-css).
// The SVG is the map for everyone without JavaScript, and stays if anything here fails.
(function () {
  "use strict";

  function readGeojson(container) {
    var url = container.getAttribute("data-geojson-url");
    if (url) {
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("GeoJSON request failed: " + response.status);
          return response.json();
        });
    }
    var id = container.getAttribute("data-geojson-id");
    var script = id && document.getElementById(id);
    if (!script) return Promise.reject(new Error("No GeoJSON given for the map"));
    return Promise.resolve(JSON.parse(script.textContent));
  }

  function wardUrl(properties) {
    return properties.url || (properties.code ? "/wards/" + encodeURIComponent(properties.code) + "/" : null);
  }

  // Leaflet reads a string tooltip as HTML; names are data, so they go in as a text node.
  function textLabel(text) {
    var label = document.createElement("span");
    label.textContent = text;
    return label;
  }

  function drawMap(container, geojson) {
    var highlighted = (container.getAttribute("data-highlight") || "").split(" ").filter(Boolean);
    var canvas = document.createElement("div");
    canvas.className = "pact-map__leaflet";
    // The Leaflet map repeats what the SVG and the page's text already say, so it is named for
    // what it is and the SVG's own name stays the accessible description of the boundaries.
    canvas.setAttribute("aria-label", container.getAttribute("data-label") || "Map");
    canvas.setAttribute("role", "region");
    container.insertBefore(canvas, container.firstChild);

    // keyboard: arrow keys pan and +/- zoom once the map has focus; Tab moves on as usual.
    // scrollWheelZoom is off so a page scroll never gets caught by the map.
    var map = L.map(canvas, { keyboard: true, scrollWheelZoom: false, zoomSnap: 0.25 });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    var tileUrl = container.getAttribute("data-tile-url");
    if (tileUrl) {
      L.tileLayer(tileUrl, { attribution: container.getAttribute("data-attribution") || "" }).addTo(map);
    }
    var layer = L.geoJSON(geojson, {
      style: function (feature) {
        var properties = feature.properties || {};
        var on = properties.highlight === true || highlighted.indexOf(properties.code) !== -1;
        return {
          color: "#00205b",
          weight: on ? 3 : 1,
          fillColor: on ? "#00205b" : "#8a97b3",
          fillOpacity: on ? 0.6 : 0.25
        };
      },
      onEachFeature: function (feature, shape) {
        var properties = feature.properties || {};
        if (properties.name) {
          shape.bindTooltip(textLabel(
            properties.name + (properties.team ? " (" + properties.team + ")" : "") +
            (properties.officers ? ": covered by " + properties.officers : "")
          ));
        }
        var url = wardUrl(properties);
        if (url && url !== window.location.pathname) {
          shape.on("click", function () { window.location.assign(url); });
        }
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    container.classList.add("pact-map--enhanced");
    return canvas;
  }

  function enhance(container) {
    if (typeof window.L === "undefined") return;
    readGeojson(container)
      .then(function (geojson) { drawMap(container, geojson); })
      .catch(function () {
        // Leave the SVG in place: it is a complete map on its own.
        container.classList.remove("pact-map--enhanced");
        var canvas = container.querySelector(".pact-map__leaflet");
        if (canvas) canvas.parentNode.removeChild(canvas);
      });
  }

  // Leaflet (38 KB compressed) is fetched only when a map comes near the screen: a page whose
  // map is never scrolled to costs nothing more than its SVG. Browsers without
  // IntersectionObserver fetch it at once.
  var leaflet = null;
  function loadLeaflet(container) {
    if (typeof window.L !== "undefined") return Promise.resolve();
    if (leaflet) return leaflet;
    leaflet = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = container.getAttribute("data-leaflet-css");
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = container.getAttribute("data-leaflet-js");
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return leaflet;
  }

  function whenNear(container) {
    if (!container.getAttribute("data-leaflet-js")) {
      enhance(container);
      return;
    }
    var start = function () {
      loadLeaflet(container).then(function () { enhance(container); }, function () {});
    };
    if (!("IntersectionObserver" in window)) {
      start();
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        start();
      }
    }, { rootMargin: "200px" });
    observer.observe(container);
  }

  var containers = document.querySelectorAll("[data-module='pact-map']");
  for (var i = 0; i < containers.length; i++) whenNear(containers[i]);
})();
