// Turns the ward map's inline SVG into a Leaflet map when Leaflet and the boundaries load.
// Leaflet itself is loaded here, once a map is about to be seen (data-leaflet-js/-css).
// The SVG is the map for everyone without JavaScript, and stays if anything here fails.
(function () {
  "use strict";

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("Boundaries request failed: " + response.status);
        return response.json();
      });
  }

  // The force map's boundaries (wards/map_boundaries.py): arcs on a grid of origin + step
  // degrees, each Google's encoded polyline of whole-grid steps, its first point a step from
  // the previous arc's last point.
  function decodeArcs(level) {
    var x = 0, y = 0;
    return level.arcs.map(function (text) {
      var points = [], i = 0;
      while (i < text.length) {
        var pair = [0, 0];
        for (var k = 0; k < 2; k++) {
          var shift = 0, value = 0, chunk;
          do {
            chunk = text.charCodeAt(i++) - 63;
            value |= (chunk & 0x1f) << shift;
            shift += 5;
          } while (chunk >= 0x20);
          pair[k] = value & 1 ? ~(value >> 1) : value >> 1;
        }
        x += pair[0];
        y += pair[1];
        points.push([level.origin[0] + x * level.step[0], level.origin[1] + y * level.step[1]]);
      }
      return points;
    });
  }

  // A ring is its arcs end to end (~i is arc i walked backwards); each arc starts where the last ended.
  function ringOf(arcs, indices) {
    var points = [];
    indices.forEach(function (index, n) {
      var arc = index < 0 ? arcs[~index].slice().reverse() : arcs[index];
      points.push.apply(points, n ? arc.slice(1) : arc);
    });
    return points;
  }

  function wardsGeojson(data, level) {
    var arcs = decodeArcs(level);
    return {
      type: "FeatureCollection",
      features: data.wards.map(function (ward) {
        return {
          type: "Feature",
          properties: {
            code: ward.code,
            name: ward.name,
            team: ward.team,
            officers: ward.officers,
            url: data.ward_url.replace("{code}", encodeURIComponent(ward.code))
          },
          geometry: {
            type: "MultiPolygon",
            coordinates: ward.polygons.map(function (polygon) {
              return polygon.map(function (ring) { return ringOf(arcs, ring); });
            })
          }
        };
      })
    };
  }

  // The boundaries come simplified for the force-wide view; zoomed in past that, every vertex
  // is fetched once (the same wards and arcs on a finer grid) and each ward's shape is redrawn
  // in place, so its tooltip and link stay as they are.
  function addDetailOnZoom(map, layer, data) {
    var asked = false;
    function check() {
      if (asked || !data.detail_url || map.getZoom() <= data.arcs.max_zoom) return;
      asked = true;
      fetchJson(data.detail_url).then(function (detail) {
        var shapes = {};
        wardsGeojson(data, detail).features.forEach(function (feature) {
          shapes[feature.properties.code] = feature.geometry.coordinates;
        });
        layer.eachLayer(function (shape) {
          var coordinates = shapes[shape.feature.properties.code];
          if (coordinates) shape.setLatLngs(L.GeoJSON.coordsToLatLngs(coordinates, 2));
        });
      }, function () {
        // The overview stays: coarser, still every ward.
      });
    }
    map.on("zoomend", check);
    check();
  }

  function readMap(container) {
    var url = container.getAttribute("data-boundaries-url");
    if (url) {
      return fetchJson(url).then(function (data) {
        return { geojson: wardsGeojson(data, data.arcs), boundaries: data };
      });
    }
    var id = container.getAttribute("data-geojson-id");
    var script = id && document.getElementById(id);
    if (!script) return Promise.reject(new Error("No GeoJSON given for the map"));
    return Promise.resolve({ geojson: JSON.parse(script.textContent) });
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

  function drawMap(container, read) {
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
    var layer = L.geoJSON(read.geojson, {
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
    if (read.boundaries) addDetailOnZoom(map, layer, read.boundaries);
    return canvas;
  }

  function enhance(container) {
    if (typeof window.L === "undefined") return;
    readMap(container)
      .then(function (read) { drawMap(container, read); })
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
