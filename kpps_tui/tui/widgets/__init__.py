"""Small widgets shared by the screens, each owning its DEFAULT_CSS."""
