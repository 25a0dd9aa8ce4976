"""The pack preview: who made it, what it changes, what it holds; then Import or Cancel.

Nothing is written while this dialog is open (the service's preview only staged the pack). Each
trust warning (unsigned, another key, an older version ...) has its own "import anyway" tick,
and Import stays disabled until every one is ticked: the patient must choose, not click past.
With `read_only` (the therapist's "preview as the patient will see it") there is no Import.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from rehab_app.services.catalog import Library
from rehab_app.services.packs import PackPreview, TrustWarning
from rehab_app.ui.dialogs.questionnaire import big_button, fit_to_screen, tint
from rehab_app.ui.widgets.layout import scrolling
from rehab_app.ui.widgets.pack_contents import PackContentsView
from rehab_app.ui.widgets.safety_notices import alert_marker
from rehab_app.ui.widgets.text import heading, own_label, plain_label


class PackImportDialog(QDialog):
    #: The warnings the patient accepted (a list of TrustWarning); emitted on Import.
    import_confirmed = Signal(list)

    def __init__(
        self,
        preview: PackPreview,
        library: Library,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.preview = preview
        manifest = preview.contents.manifest
        self.setWindowTitle(self.tr("Preview of %1") if read_only else self.tr("Import %1?"))
        self.setWindowTitle(self.windowTitle().replace("%1", manifest.title))
        self.setAccessibleName(self.windowTitle())

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(heading(manifest.title, 1, "packTitle"))
        layout.addWidget(
            plain_label(
                self.tr("From %1 · version %2")
                .replace("%1", manifest.author)
                .replace("%2", str(manifest.version)),
                "packAuthor",
            )
        )
        self.signer = plain_label(self._signer_text(), "packSigner")
        layout.addWidget(self.signer)

        self.ticks: dict[TrustWarning, QCheckBox] = {}
        for kind, text in preview.warnings.items():
            layout.addWidget(self._warning(kind, text, read_only))

        if not read_only:
            layout.addWidget(heading(self.tr("What changes in your plan"), 2, own_words=True))
            layout.addWidget(plain_label(preview.plan_changes, "planChanges"))
            if preview.new_exercises:
                layout.addWidget(
                    plain_label(
                        self.tr("New exercises from your therapist: %1").replace(
                            "%1", ", ".join(preview.new_exercises)
                        )
                    )
                )
            layout.addWidget(
                own_label(
                    self.tr(
                        "Your diary and your earlier plans are kept: the plan you have now stays"
                        " in your plan history. A backup is made before anything changes."
                    )
                )
            )
        #: What the pack holds; its exercise cards are added a few per turn of the event loop.
        self.contents = PackContentsView(preview.contents, library)
        layout.addWidget(self.contents)

        outer = QVBoxLayout(self)
        outer.addWidget(scrolling(body), 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = big_button(self.tr("Close") if read_only else self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.cancel_button)
        self.import_button = big_button(self.tr("Import this pack"), object_name="importPack")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self._confirm)
        self.import_button.setVisible(not read_only)
        buttons.addWidget(self.import_button)
        outer.addLayout(buttons)
        self._update_button()
        fit_to_screen(self, 60, 40)

    def _signer_text(self) -> str:
        preview = self.preview
        fingerprint = preview.fingerprint
        if fingerprint is None:
            return self.tr("Not signed.")
        if preview.signer_name is not None:
            return (
                self.tr("Signed with %1's key, which you have accepted before (%2).")
                .replace("%1", preview.signer_name)
                .replace("%2", fingerprint)
            )
        return (
            self.tr(
                "Signed with a key you have not seen before: %1. If you can, check this"
                " code with your therapist. Importing remembers this key as %2's."
            )
            .replace("%1", fingerprint)
            .replace("%2", preview.contents.manifest.author)
        )

    def _warning(self, kind: TrustWarning, text: str, read_only: bool) -> QFrame:
        frame = QFrame()
        frame.setObjectName(f"warning_{kind.value}")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        tint(frame)
        row = QVBoxLayout(frame)
        top = QHBoxLayout()
        top.addWidget(alert_marker(self.tr("Check"), "amber"))
        top.addWidget(plain_label(text), 1)
        row.addLayout(top)
        if not read_only:
            tick = QCheckBox(self.tr("I understand. Import it anyway."))
            tick.setAccessibleName(self.tr("Import anyway: %1").replace("%1", text))
            tick.toggled.connect(self._update_button)
            row.addWidget(tick)
            self.ticks[kind] = tick
        return frame

    def _update_button(self) -> None:
        self.import_button.setEnabled(all(tick.isChecked() for tick in self.ticks.values()))

    def _confirm(self) -> None:
        if not self.import_button.isEnabled():
            return
        self.import_confirmed.emit([kind for kind, tick in self.ticks.items() if tick.isChecked()])
        self.accept()
