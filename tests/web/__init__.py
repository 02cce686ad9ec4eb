"""The site, the JSON API and the command line over HTTP and in processes, including hostile input."""
