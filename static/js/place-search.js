// Enhances the search box: place names suggested as you type (accessible-autocomplete) and a
// "use my location" button. Without JavaScript, or if anything here fails, the plain form
// works as before: it takes postcodes, places and ward names all the same.
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function suggestionSource(url) {
    var pending = null;
    return function (query, populateResults) {
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(query), { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { places: [] }; })
        .then(function (data) { populateResults(data.places || []); })
        .catch(function () { /* a newer query aborted this one, or the network failed: no suggestions */ });
    };
  }

  // The component sets the input's aria-describedby itself (to its own instructions, then to
  // nothing), which would cut the field's hint and error message off from it: keep them on.
  function keepDescriptions(input, ids) {
    if (!ids.length) return;
    function restore() {
      var current = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      var missing = ids.filter(function (id) { return current.indexOf(id) === -1; });
      if (missing.length) input.setAttribute("aria-describedby", current.concat(missing).join(" "));
    }
    new MutationObserver(restore).observe(input, { attributes: true, attributeFilter: ["aria-describedby"] });
    restore();
  }

  function enhanceSearch(form) {
    var original = form.querySelector("input[name='q']");
    var url = form.getAttribute("data-suggestions-url");
    if (!original || !url || typeof window.accessibleAutocomplete !== "function") return;
    var typing = document.activeElement === original;
    var described = (original.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    var container = document.createElement("div");
    container.className = "govuk-!-width-two-thirds";
    original.parentNode.insertBefore(container, original);
    original.parentNode.removeChild(original);
    window.accessibleAutocomplete({
      element: container,
      id: original.id,
      name: original.name,
      // What was typed while the component was on its way is typed again below, so that the
      // component sees it as typed and suggests for it.
      defaultValue: typing ? "" : original.value,
      minLength: 2,
      confirmOnBlur: false,
      showNoOptionsFound: false,
      inputClasses: original.className,
      source: suggestionSource(url),
      templates: {
        inputValue: function (place) { return place ? place.name : ""; },
        suggestion: function (place) {
          if (!place) return "";
          if (typeof place === "string") return escapeHtml(place);
          return escapeHtml(place.name) + ", " + escapeHtml(place.kind.toLowerCase()) + " in " + escapeHtml(place.district);
        }
      },
      onConfirm: function (place) {
        if (!place) return;
        form.querySelector("input[name='q']").value = place.name;
        form.submit();
      }
    });
    var input = form.querySelector("input[name='q']");
    keepDescriptions(input, described);
    if (typing) {
      // The component arrived while the resident was in the box: they stay there, after what
      // they typed, and get the suggestions for it. The component selects the box's text when
      // the box takes focus, as it draws in a microtask; the text goes in after that, in the
      // next microtask, before another key can reach the box.
      input.focus();
      Promise.resolve().then(function () {
        input.value = original.value + input.value;
        input.setSelectionRange(input.value.length, input.value.length);
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
    }
    // With suggestions showing and none chosen, the component swallows Enter: submit what was typed.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && input.getAttribute("aria-expanded") === "true" && !input.getAttribute("aria-activedescendant")) {
        event.preventDefault();
        form.submit();
      }
    });
  }

  function enhanceLocate(block) {
    var button = block.querySelector("button");
    var status = block.querySelector("[role='status']");
    var url = block.getAttribute("data-locate-url");
    if (!button || !status || !url || !("geolocation" in navigator)) return;
    function say(text) { status.textContent = text; button.disabled = false; }
    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = "Finding your location…";
      navigator.geolocation.getCurrentPosition(function (position) {
        var point = position.coords.latitude.toFixed(6) + "," + position.coords.longitude.toFixed(6);
        fetch(url + "?q=" + encodeURIComponent(point), { headers: { Accept: "application/json" } })
          .then(function (response) {
            if (response.status === 404) throw new Error("outside");
            if (!response.ok) throw new Error("failed");
            return response.json();
          })
          .then(function (data) { window.location.assign("/wards/" + encodeURIComponent(data.neighbourhood) + "/"); })
          .catch(function (error) {
            say(error.message === "outside"
              ? "You seem to be outside Kent and Medway. Search for a postcode or place instead."
              : "We could not look up your location. Search for your postcode instead.");
          });
      }, function () {
        say("We could not find your location. Search for your postcode instead.");
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
    });
    block.hidden = false;
  }

  // accessible-autocomplete (18 KB compressed) is fetched when the search box is first focused,
  // not with the page: on a phone the page is drawn without waiting for it, and a resident who
  // never searches never fetches it.
  var component = null;
  function loadComponent(form) {
    if (typeof window.accessibleAutocomplete === "function") return Promise.resolve();
    if (component) return component;
    component = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = form.getAttribute("data-autocomplete-js");
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return component;
  }

  function whenFocused(form) {
    var original = form.querySelector("input[name='q']");
    if (!original || !form.getAttribute("data-autocomplete-js")) return;
    var start = function () {
      loadComponent(form).then(function () { enhanceSearch(form); }, function () {});
    };
    if (document.activeElement === original) start();
    else original.addEventListener("focus", start, { once: true });
  }

  var forms = document.querySelectorAll("form[data-module='pact-place-search']");
  for (var i = 0; i < forms.length; i++) whenFocused(forms[i]);
  var blocks = document.querySelectorAll("[data-module='pact-locate']");
  for (var j = 0; j < blocks.length; j++) enhanceLocate(blocks[j]);
})();
