"""The countdown of a mock interview: a small widget that counts down in the page, without the kernel."""
from __future__ import annotations

import anywidget
import traitlets

_ESM = r"""
function render({ model, el }) {
  const end = Date.now() + 1000 * model.get("seconds");
  el.className = "mlcourse-timer";
  el.style.cssText = "font: 600 1.1em monospace; padding: 4px 10px; border: 1px solid #d0d7de; display: inline-block";
  const tick = () => {
    const left = Math.max(0, Math.round((end - Date.now()) / 1000));
    const mm = String(Math.floor(left / 60)).padStart(2, "0"), ss = String(left % 60).padStart(2, "0");
    el.textContent = left > 0 ? `Time left ${mm}:${ss}` : "Time is up: run the reveal cell at the end.";
    el.style.color = left > 0 && left < 300 ? "#cf222e" : "";
  };
  tick();
  const timer = setInterval(tick, 1000);
  return () => clearInterval(timer);
}
export default { render };
"""


class Timer(anywidget.AnyWidget):
    """Shows ``Time left mm:ss`` counting down from ``seconds``."""

    _esm = _ESM
    seconds = traitlets.Int(0).tag(sync=True)
