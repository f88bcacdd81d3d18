"""Qt item models. They page through the core's queries; none loads every row."""
