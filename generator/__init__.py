"""Turn bibliographic records into a searchable MkDocs + Material reading-list site.

The package follows the pipeline, one module per step:

    sources/ (read exports)  ->  record_files (read/write YAML records)  ->  model
    ->  validate  ->  index  ->  render  ->  write  ->  mkdocs_hook (the only MkDocs part)
"""

__version__ = "0.1.0"
