"""An invisible widget that writes the learner's answer into the quiz cell's source.

nbgrader re-executes a notebook when it grades it, so widget state alone does not survive: the
answer has to be in the cell's code. Where the page exposes the application object as
``window.jupyterapp``, this widget replaces ``quiz("F7a")`` by ``quiz("F7a", answer="B")`` in its
own cell. Every JupyterLab 4 and Notebook 7 of an environment the course is installed in does: the
package installs the page setting ``exposeAppInBrowser`` in
``<sys.prefix>/etc/jupyter/labconfig/page_config.d/mlcourse.json``, which plain ``jupyter lab``,
``jupyter notebook`` and a hub's ``jupyterhub-singleuser`` read, and ``mlcourse lab`` also passes
``--LabApp.expose_app_in_browser=True``. Elsewhere (VS Code, Colab, a server
started from another environment) it reports ``unavailable`` and the quiz tells the learner which
line to type.
"""
from __future__ import annotations

import anywidget
import traitlets

_ESM = r"""
function findCell(el) {
  const app = window.jupyterapp;
  if (!app || !app.shell || !app.shell.widgets) return null;
  for (const widget of app.shell.widgets("main")) {
    const cells = widget && widget.content && widget.content.widgets;
    if (!cells) continue;
    for (const cell of cells) {
      if (cell.node && cell.node.contains(el)) return cell;
    }
  }
  return null;
}

function render({ model, el }) {
  el.style.display = "none";
  const write = () => {
    const call = model.get("call");
    if (!call) return;
    let status = "unavailable";
    try {
      const cell = findCell(el);
      if (cell) {
        const shared = cell.model.sharedModel;
        const source = shared.getSource();
        const pattern = new RegExp("quiz\\(\\s*[\"']" + model.get("qid") + "[\"'][^)]*\\)");
        if (pattern.test(source)) {
          shared.setSource(source.replace(pattern, call));
          status = "written";
        }
      }
    } catch (err) {
      status = "unavailable";
    }
    model.set("status", status);
    model.save_changes();
  };
  model.on("change:call", write);
  return () => model.off("change:call", write);
}
export default { render };
"""


class AnswerRecorder(anywidget.AnyWidget):
    """Writes ``call`` into the quiz cell; ``status`` becomes ``written`` or ``unavailable``."""

    _esm = _ESM
    qid = traitlets.Unicode("").tag(sync=True)
    call = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
