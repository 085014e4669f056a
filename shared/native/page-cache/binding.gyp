{
  "targets": [
    {
      "target_name": "page_cache",
      "sources": ["page_cache.c"]
    }
  ]
}
