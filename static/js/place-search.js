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
    var described = (original.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    var container = document.createElement("div");
    container.className = "govuk-!-width-two-thirds";
    original.parentNode.insertBefore(container, original);
    original.parentNode.removeChild(original);
    window.accessibleAutocomplete({
      element: container,
      id: original.id,
      name: original.name,
      defaultValue: original.value,
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

  var forms = document.querySelectorAll("form[data-module='pact-place-search']");
  for (var i = 0; i < forms.length; i++) enhanceSearch(forms[i]);
  var blocks = document.querySelectorAll("[data-module='pact-locate']");
  for (var j = 0; j < blocks.length; j++) enhanceLocate(blocks[j]);
})();
