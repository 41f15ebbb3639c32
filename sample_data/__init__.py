"""The bundled Kotawaringin Barat sample (installed as kpps_tui.sample_data)."""
