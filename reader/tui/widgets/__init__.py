"""The app's widgets, one per module; they post messages up and take data down."""
