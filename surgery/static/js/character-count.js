// GOV.UK's character count, as progressive enhancement: without this file the hint under a text
// box says the limit and the server checks it. With it, people see how many characters they have
// left as they type. Nothing is ever cut: going over is shown as an error, to fix by editing.
(function () {
  "use strict";

  // How long typing must pause before a screen reader hears the count, so it is not read out
  // after every key.
  var ANNOUNCE_AFTER_MS = 1000;

  function characters(count) {
    return count.toLocaleString("en-GB") + (count === 1 ? " character" : " characters");
  }

  function countMessage(limit, length) {
    var left = limit - length;
    if (left >= 0) {
      return "You have " + characters(left) + " remaining";
    }
    return "You have " + characters(-left) + " too many";
  }

  function enhance(wrapper) {
    var limit = parseInt(wrapper.getAttribute("data-maxlength"), 10);
    var textarea = wrapper.querySelector("textarea");
    var info = textarea && document.getElementById(textarea.id + "-info");
    if (!limit || !textarea || !info) {
      return;
    }
    // The limit stays in the text box's description for screen readers; sighted people see
    // the live count in its place.
    info.classList.add("visually-hidden");

    var shown = document.createElement("div");
    shown.className = "hint character-count__status";
    shown.setAttribute("aria-hidden", "true");
    var announced = document.createElement("div");
    announced.className = "visually-hidden";
    announced.setAttribute("aria-live", "polite");
    info.insertAdjacentElement("afterend", shown);
    shown.insertAdjacentElement("afterend", announced);

    var pause = null;

    function update() {
      // A line break counts once here, as it does on the server.
      var length = textarea.value.length;
      var over = length > limit;
      shown.textContent = countMessage(limit, length);
      shown.classList.toggle("error-message", over);
      shown.classList.toggle("hint", !over);
      textarea.classList.toggle("input--error", over);
    }

    function announce() {
      announced.textContent = countMessage(limit, textarea.value.length);
    }

    textarea.addEventListener("input", function () {
      update();
      window.clearTimeout(pause);
      pause = window.setTimeout(announce, ANNOUNCE_AFTER_MS);
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll('[data-module="character-count"]').forEach(enhance);
  });
})();
