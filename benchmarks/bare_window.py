"""Baseline for package_budget.py: the least a PySide6 app does to show a window, then exit."""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("Bare PySide6 window")
window.resize(1100, 720)  # the size Linkie's main window opens at
window.show()
QTimer.singleShot(0, app.quit)  # as `linkie-desktop --smoke`: one turn of the loop, then exit
sys.exit(app.exec())
