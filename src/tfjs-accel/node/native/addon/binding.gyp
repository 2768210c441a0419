{
  "targets": [
    {
      "target_name": "dnnl_kernels",
      "sources": ["dnnl-kernels.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-fopenmp", "-O2", "-ffp-contract=off"],
      "libraries": ["-ldnnl", "-fopenmp"]
    }
  ]
}
