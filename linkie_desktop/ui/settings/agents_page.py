"""Settings › Agents: how far AI agents may go through `linkie mcp`, and the command line (and
client configuration) to paste into an MCP client such as Claude Desktop."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.mcp_server.client_config import client_configuration, server_command
from linkie_desktop.mcp_server.permissions import ADDS, Permission, stored_permission
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.ui.settings.pages import note
from linkie_desktop.ui.widgets.accessible import named

_LABELS = {
    Permission.READ: "Read &only",
    Permission.DRAFT: "&Draft",
    Permission.SCHEDULE: "Sc&hedule",
    Permission.PUBLISH: "Pu&blish",
}


def _choice_text(level: Permission) -> str:
    words = ADDS[level]
    return (
        f"{_LABELS[level]}: {words}"
        if level is Permission.READ
        else f"{_LABELS[level]}: also {words}"
    )


class AgentsPage(QWidget):
    def __init__(self, prefs: Preferences, database_url: str) -> None:
        super().__init__()
        self.setObjectName("agentsPage")
        layout = QVBoxLayout(self)
        layout.addWidget(
            note(
                "AI assistants that speak the Model Context Protocol (Claude Desktop and other "
                "MCP clients) can work with your posts through Linkie, within the limit you set "
                "here. Everything an agent changes shows in Linkie at once.",
                "agentsIntro",
            )
        )
        layout.addWidget(QLabel("What agents may do:"))
        self.levels = QButtonGroup(self)
        self.choices: dict[Permission, QRadioButton] = {}
        chosen = stored_permission(prefs.agent_permission)
        for level in Permission:
            button = named(
                QRadioButton(_choice_text(level)),
                f"agentPermission_{level}",
                f"Agents may: {ADDS[level]}",
            )
            button.setChecked(level is chosen)
            self.levels.addButton(button)
            self.choices[level] = button
            layout.addWidget(button)

        self.command = server_command(database_url)
        layout.addWidget(QLabel("Command line for your MCP client:"))
        row = QHBoxLayout()
        self.command_edit = named(
            QLineEdit(" ".join(self.command)), "agentCommand", "Command line for MCP clients"
        )
        self.command_edit.setReadOnly(True)
        self.command_edit.setCursorPosition(0)
        self.copy_command = named(QPushButton("&Copy"), "copyAgentCommand", "Copy the command line")
        self.copy_command.clicked.connect(lambda: self._copy(self.command_edit.text()))
        row.addWidget(self.command_edit, 1)
        row.addWidget(self.copy_command)
        layout.addLayout(row)

        layout.addWidget(QLabel("Or, for Claude Desktop's claude_desktop_config.json:"))
        self.configuration = named(
            QPlainTextEdit(client_configuration(self.command)),
            "agentConfiguration",
            "MCP client configuration",
        )
        self.configuration.setReadOnly(True)
        self.configuration.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.copy_configuration = named(
            QPushButton("Cop&y configuration"),
            "copyAgentConfiguration",
            "Copy the MCP client configuration",
        )
        self.copy_configuration.clicked.connect(
            lambda: self._copy(self.configuration.toPlainText())
        )
        layout.addWidget(self.configuration, 1)
        row = QHBoxLayout()
        self.copied = named(QLabel(""), "agentCopied", "Copied")
        row.addWidget(self.copied, 1)
        row.addWidget(self.copy_configuration)
        layout.addLayout(row)
        layout.addWidget(
            note(
                "The client starts Linkie's server with the limit chosen here, each time; "
                "--allow read, draft, schedule or publish added to the command overrides it.",
                "agentsAllowNote",
            )
        )

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.copied.setText("Copied to the clipboard.")

    def chosen(self) -> Permission:
        return next(level for level, button in self.choices.items() if button.isChecked())

    def prefs_changes(self) -> dict[str, object]:
        return {"agent_permission": self.chosen().value}
