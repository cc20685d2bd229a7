# lit configuration of the tl test suite.
import os
import shutil

import lit.formats

config.name = "tl"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".c", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tl_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

config.environment["PATH"] = os.pathsep.join(
    [config.tl_tools_dir, config.tl_capi_tests_dir, config.tl_plugin_tests_dir,
     config.tl_runtime_tests_dir, config.llvm_tools_dir,
     config.environment.get("PATH", os.environ.get("PATH", ""))])

config.substitutions.append(("%tl_src_root", config.tl_src_root))
config.substitutions.append(("%tl_obj_root", config.tl_obj_root))
config.substitutions.append(("%examples", os.path.join(config.tl_src_root, "examples")))

# ptxas (CUDA 13) is optional: tests that assemble PTX say REQUIRES: ptxas.
cuda_home = os.environ.get("CUDA_HOME", "/usr/local/cuda")
ptxas = shutil.which("ptxas") or (
    os.path.join(cuda_home, "bin", "ptxas")
    if os.path.exists(os.path.join(cuda_home, "bin", "ptxas")) else None)
if ptxas:
    config.available_features.add("ptxas")
    config.environment["PATH"] = os.pathsep.join(
        [os.path.dirname(ptxas), config.environment["PATH"]])

config.substitutions.append(("%cc", config.cc))
config.substitutions.append(("%runtime_include", os.path.join(config.tl_src_root, "runtime", "include")))

# cuda.h, for checking libtlrt's own driver declarations against it.
cuda_include = os.path.join(cuda_home, "include")
if os.path.exists(os.path.join(cuda_include, "cuda.h")):
    config.available_features.add("cuda-headers")
    config.substitutions.append(("%cuda_include", cuda_include))

# The toolkit's stub libcuda (link-time only: every call fails with
# CUDA_ERROR_STUB_LIBRARY), for the stub test of libtlrt.
cuda_stubs = os.path.join(cuda_home, "lib64", "stubs")
if os.path.exists(os.path.join(cuda_stubs, "libcuda.so")):
    config.available_features.add("cuda-stub")
    config.substitutions.append(("%cuda_stubs", cuda_stubs))

# A loadable CUDA driver (libcuda), and a GPU behind it: cuda-device.
import ctypes
try:
    cuda = ctypes.CDLL("libcuda.so.1")
    config.available_features.add("cuda-driver")
    count = ctypes.c_int(0)
    if cuda.cuInit(0) == 0 and cuda.cuDeviceGetCount(ctypes.byref(count)) == 0 and count.value > 0:
        config.available_features.add("cuda-device")
except OSError:
    pass

# A TL_SANITIZE build: its libraries need the sanitizer runtimes, so tests
# that link them into programs of their own (the embedding example) skip.
if getattr(config, "tl_sanitize", "OFF").upper() in ("ON", "1", "TRUE", "YES"):
    config.available_features.add("sanitizers")
if shutil.which("lintian"):
    config.available_features.add("lintian")
