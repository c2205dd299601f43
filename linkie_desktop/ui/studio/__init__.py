"""The Studio tab: ideas into LinkedIn post variations and images with AI."""

from linkie_desktop.ui.studio.tab import StudioTab

__all__ = ["StudioTab"]
