"""Pages made from the model: projects, people, news and events, map, legal pages, metadata."""
