"""The Hugging Face Hub census (`huggingface.census`): the whole model listing, streamed from
raw pages into parquet, validated in batches and published as `hub_repos` and `hub_lineage`
(docs/census.md). Built apart from the model tables: the census never becomes source records
or model candidates, and never sits in memory whole."""
