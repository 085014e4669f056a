{
  "targets": [
    {
      "target_name": "md5_lanes",
      "sources": ["md5_lanes.c", "md5x16.c", "md5x8.c"],
      "cflags": ["-O2"],
      "libraries": ["-lm"]
    }
  ]
}
