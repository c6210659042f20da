// MBT's only page script (the Content-Security-Policy allows no other): refreshes the parts of a
// page marked data-refresh every 5 seconds without a full reload, keeps the order ticket's limit
// price in step with the order type, its quote with the symbol and its cost preview with what is
// typed. The server sends every number already formatted.
"use strict";

(function () {
    var refreshSeconds = 5;

    function refresh(region) {
        var url = region.getAttribute("data-refresh");
        if (!url) return;
        fetch(url, { headers: { "X-MBT-Refresh": "1" }, credentials: "same-origin", cache: "no-store" })
            .then(function (response) {
                if (response.status === 401) {
                    // The session ended: reloading shows the sign-in page.
                    window.location.reload();
                    return null;
                }
                return response.ok ? response.text() : null;
            })
            .then(function (html) {
                // Never pull the focus or a half-typed value out from under the user.
                if (typeof html !== "string" || region.contains(document.activeElement)) return;
                region.innerHTML = html;
            })
            .catch(function () { /* offline for a moment: the next tick tries again */ });
    }

    function startRefresh() {
        var regions = document.querySelectorAll("[data-refresh]");
        Array.prototype.forEach.call(regions, function (region) {
            window.setInterval(function () {
                if (!document.hidden) refresh(region);
            }, refreshSeconds * 1000);
        });
    }

    function limitPriceFollowsOrderType() {
        var type = document.getElementById("order_type");
        var limit = document.getElementById("limit_price");
        if (!type || !limit) return;
        var sync = function () {
            var isLimit = type.value === "limit";
            limit.disabled = !isLimit;
            limit.required = isLimit;
        };
        type.addEventListener("change", sync);
        sync();
    }

    // The ticket's quote follows the symbol typed (and then refreshes with the page).
    function quoteFollowsSymbol() {
        var symbol = document.getElementById("symbol");
        var quote = document.getElementById("quote");
        if (!symbol || !quote) return;
        symbol.addEventListener("change", function () {
            var text = symbol.value.trim();
            quote.setAttribute("data-refresh", text ? "/trade/quote?symbol=" + encodeURIComponent(text) : "");
            if (text) refresh(quote); else quote.innerHTML = "";
        });
    }

    // The ticket's estimated cost and the buying power after it follow what is typed. The server
    // computes and formats them by the order path's own rules; the page only shows its text.
    function previewFollowsTicket() {
        var form = document.getElementById("ticket");
        var preview = document.getElementById("preview");
        if (!form || !preview) return;
        var timer = null;
        var latest = 0;
        var update = function () {
            var params = new URLSearchParams();
            Array.prototype.forEach.call(form.elements, function (element) {
                if (!element.name || element.disabled || element.type === "hidden") return;
                params.append(element.name, element.value);
            });
            var ticket = ++latest;
            fetch(preview.getAttribute("data-preview") + "?" + params.toString(),
                { headers: { "X-MBT-Refresh": "1" }, credentials: "same-origin", cache: "no-store" })
                .then(function (response) { return response.ok ? response.text() : null; })
                .then(function (html) {
                    // An older answer arriving late never replaces a newer one.
                    if (typeof html === "string" && ticket === latest) preview.innerHTML = html;
                })
                .catch(function () { /* offline for a moment: the next keystroke tries again */ });
        };
        var schedule = function () {
            if (timer) window.clearTimeout(timer);
            timer = window.setTimeout(update, 250);
        };
        form.addEventListener("input", schedule);
        form.addEventListener("change", schedule);
    }

    function noDoubleSubmit() {
        var forms = document.querySelectorAll("form[method=post]");
        Array.prototype.forEach.call(forms, function (form) {
            form.addEventListener("submit", function () {
                var button = form.querySelector("button[type=submit]");
                if (button) window.setTimeout(function () { button.disabled = true; }, 0);
            });
        });
    }

    document.addEventListener("DOMContentLoaded", function () {
        startRefresh();
        limitPriceFollowsOrderType();
        quoteFollowsSymbol();
        previewFollowsTicket();
        noDoubleSubmit();
    });
})();
