# Jetbase Configuration for the demo: an embedded SQLite file next to this env.py.
sqlalchemy_url = "sqlite:///demo.db"
