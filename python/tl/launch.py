"""Launching a compiled kernel through libtlrt.so (docs/python.md): each
parameter of the kernel's ABI becomes a launch argument — a device pointer
from an int, ``__cuda_array_interface__`` or ``data_ptr()``, a scalar packed
as its MLIR type, a tensor map encoded from its descriptor over the memref
parameter it names, a run-time size from that tensor's shape."""
import ctypes
import re
import struct

from tl import LaunchError, load_library


class _Dim3(ctypes.Structure):
    _fields_ = [("x", ctypes.c_uint), ("y", ctypes.c_uint), ("z", ctypes.c_uint)]


class _Tiled(ctypes.Structure):
    _fields_ = [("dataType", ctypes.c_int), ("rank", ctypes.c_uint),
                ("globalDim", ctypes.c_uint64 * 5), ("globalStrides", ctypes.c_uint64 * 4),
                ("boxDim", ctypes.c_uint * 5), ("elementStrides", ctypes.c_uint * 5),
                ("swizzle", ctypes.c_int), ("l2Promotion", ctypes.c_int)]


class _Im2col(ctypes.Structure):
    _fields_ = [("dataType", ctypes.c_int), ("rank", ctypes.c_uint),
                ("globalDim", ctypes.c_uint64 * 5), ("globalStrides", ctypes.c_uint64 * 4),
                ("lowerCorner", ctypes.c_int * 3), ("upperCorner", ctypes.c_int * 3),
                ("channelsPerPixel", ctypes.c_uint), ("pixelsPerColumn", ctypes.c_uint),
                ("elementStrides", ctypes.c_uint * 5),
                ("swizzle", ctypes.c_int), ("l2Promotion", ctypes.c_int)]


_rt = None


def _libtlrt():
    global _rt
    if _rt is None:
        lib = load_library("tlrt")
        P = ctypes.c_void_p
        sig = {"tlrtLastError": (ctypes.c_char_p, []),
               "tlrtInit": (ctypes.c_int, [ctypes.c_int]),
               "tlrtLoadModule": (ctypes.c_int, [P, ctypes.c_size_t, ctypes.POINTER(P)]),
               "tlrtLaunch": (ctypes.c_int, [P, ctypes.c_char_p, _Dim3, _Dim3, ctypes.c_size_t,
                                             P, ctypes.POINTER(P)]),
               "tlrtSynchronize": (ctypes.c_int, []),
               "tlrtGetTiledMap": (ctypes.c_int, [ctypes.POINTER(_Tiled), ctypes.c_uint64, P]),
               "tlrtGetIm2colMap": (ctypes.c_int, [ctypes.POINTER(_Im2col), ctypes.c_uint64, P])}
        for fn, (res, args) in sig.items():
            f = getattr(lib, fn)
            f.restype, f.argtypes = res, args
        _rt = lib
    return _rt


def _check(rc, what):
    if rc:
        raise LaunchError(f"{what}: {(_libtlrt().tlrtLastError() or b'').decode()}")


def address(x):
    """The device address of x: an int, __cuda_array_interface__, data_ptr()."""
    if isinstance(x, int):
        return x
    cai = getattr(x, "__cuda_array_interface__", None)
    if cai is not None:
        return int(cai["data"][0])
    if hasattr(x, "data_ptr"):
        return int(x.data_ptr())
    raise TypeError(f"cannot take the device address of {type(x).__name__}: "
                    f"pass an int, or an object with __cuda_array_interface__ "
                    f"or data_ptr()")


def _shape(x):
    cai = getattr(x, "__cuda_array_interface__", None)
    if cai is not None:
        return tuple(cai["shape"])
    s = getattr(x, "shape", None)
    return tuple(s) if s is not None else None


def _memref_dims(t):
    """memref<4x?x8xf16, ...> -> ([4, None, 8], "f16"); None for other types."""
    m = re.match(r"memref<((?:[0-9?]+x)*)([a-z0-9A-Z_]+)", t)
    if not m:
        return None
    dims = [None if d == "?" else int(d) for d in m.group(1).split("x") if d]
    return dims, m.group(2)


def _scalar(t, v):
    if t == "f32":
        return ctypes.c_float(v)
    if t == "f64":
        return ctypes.c_double(v)
    if t == "f16":
        return ctypes.c_uint16(struct.unpack("<H", struct.pack("<e", v))[0])
    if t == "bf16":
        bits = struct.unpack("<I", struct.pack("<f", v))[0]
        return ctypes.c_uint16((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16)
    ints = {"i1": ctypes.c_int8, "i8": ctypes.c_int8, "i16": ctypes.c_int16,
            "i32": ctypes.c_int32, "i64": ctypes.c_int64, "index": ctypes.c_int64}
    if t in ints:
        return ints[t](int(v))
    raise TypeError(f"scalar parameter of type {t} is not supported")


def _tensor_map(p, args, sizes):
    m = p["map"]
    im2col = m["kind"] == "im2col"
    d = (_Im2col if im2col else _Tiled)()
    d.dataType, d.rank = m["data_type"], len(m["global_dim"])
    dims = list(m["global_dim"])
    strides = list(m["global_strides"])
    # Dynamic sizes: a -1 dimension is the named buffer's run-time size,
    # a -1 stride the element size times the inner sizes (docs/dynamic.md).
    for i, v in enumerate(dims):
        if v < 0:
            dims[i] = sizes[(m["buffer"], m["dims_from"][i])]
    for i, v in enumerate(strides):
        if v < 0:
            strides[i] = (m["element_bytes"] * dims[0] if i == 0
                          else strides[i - 1] * dims[i])
    for i, v in enumerate(dims):
        d.globalDim[i] = v
    for i, v in enumerate(strides):
        d.globalStrides[i] = v
    for i, v in enumerate(m["element_strides"]):
        d.elementStrides[i] = v
    if im2col:
        for i, v in enumerate(m["lower_corner"]):
            d.lowerCorner[i] = v
        for i, v in enumerate(m["upper_corner"]):
            d.upperCorner[i] = v
        d.channelsPerPixel, d.pixelsPerColumn = m["channels_per_pixel"], m["pixels_per_column"]
    else:
        for i, v in enumerate(m["box"]):
            d.boxDim[i] = v
    d.swizzle, d.l2Promotion = m["swizzle"], m["l2_promotion"]
    raw = (ctypes.c_char * 192)()          # a CUtensorMap: 128 bytes, 64-aligned
    off = (-ctypes.addressof(raw)) % 64
    ptr = ctypes.addressof(raw) + off
    fn = _libtlrt().tlrtGetIm2colMap if im2col else _libtlrt().tlrtGetTiledMap
    _check(fn(ctypes.byref(d), address(args[m["buffer"]]), ptr), "encoding a tensor map")
    return raw, ptr


class Kernel:
    """One kernel of a compiled binary, launchable on the current device."""

    def __init__(self, binary, abi):
        self.binary, self.abi, self.name = binary, abi, abi["name"]
        self.params = abi["params"]
        # The user's arguments: the kernel's memref and scalar parameters;
        # tensor maps and run-time sizes are derived from them.
        self.user_params = [p for p in self.params if p["kind"] in ("ptr", "scalar")]

    def _module(self):
        if self.binary._module is None:
            rt = _libtlrt()
            _check(rt.tlrtInit(0), "initializing the device")
            m = ctypes.c_void_p()
            data = self.binary.data
            _check(rt.tlrtLoadModule(data, len(data), ctypes.byref(m)),
                   f"loading gpu.binary @{self.binary.name}")
            self.binary._module = m
        return self.binary._module

    def pack(self, args):
        """The argument values, in ABI order, as ctypes objects (kept alive
        by the caller until the launch returns)."""
        if len(args) != len(self.user_params):
            raise TypeError(f"{self.name} takes {len(self.user_params)} arguments "
                            f"({', '.join(p['type'] for p in self.user_params)}), "
                            f"got {len(args)}")
        # Parameter index -> the user's argument, for tensor maps and sizes.
        by_param, it = {}, iter(args)
        for i, p in enumerate(self.params):
            if p["kind"] in ("ptr", "scalar"):
                by_param[i] = next(it)
        sizes = {}
        for i, a in by_param.items():
            p = self.params[i]
            if p["kind"] != "ptr":
                continue
            md, shape = _memref_dims(p["type"]), _shape(a)
            if md and shape is not None:
                dims = md[0]
                if len(dims) != len(shape) or any(d is not None and d != s
                                                  for d, s in zip(dims, shape)):
                    raise LaunchError(f"argument for parameter {i} of {self.name} has "
                                      f"shape {list(shape)}, but the kernel takes {p['type']}")
                for k, s in enumerate(shape):
                    sizes[(i, k)] = int(s)
        values = []
        for i, p in enumerate(self.params):
            if p["kind"] == "ptr":
                values.append(ctypes.c_uint64(address(by_param[i])))
            elif p["kind"] == "scalar":
                values.append(_scalar(p["type"], by_param[i]))
            elif p["kind"] == "size":
                if (p["buffer"], p["dim"]) not in sizes:
                    raise LaunchError(f"{self.name} needs the run-time size of "
                                      f"dimension {p['dim']} of parameter {p['buffer']}: "
                                      f"pass a tensor with a shape")
                values.append(ctypes.c_int64(sizes[(p["buffer"], p["dim"])]))
            elif p["kind"] == "tensormap":
                values.append(_tensor_map(p, by_param, sizes))
            else:
                raise LaunchError(f"parameter {i} of {self.name} has an unknown kind")
        return values

    def launch(self, grid, *args, stream=None, sync=False):
        """Launches on `grid` (1 to 3 ints) with the kernel's block size and
        shared memory; `stream` is a CUstream handle (int) or an object with
        .cuda_stream (PyTorch), None for the default stream."""
        g = tuple(grid) + (1,) * (3 - len(tuple(grid)))
        values = self.pack(args)
        ptrs = (ctypes.c_void_p * max(len(values), 1))()
        for i, v in enumerate(values):
            ptrs[i] = v[1] if isinstance(v, tuple) else ctypes.addressof(v)
        s = getattr(stream, "cuda_stream", stream)
        b = self.abi["block"]
        rt = _libtlrt()
        _check(rt.tlrtLaunch(self._module(), self.name.encode(), _Dim3(*g),
                             _Dim3(*(max(x, 1) for x in b)),
                             self.abi["dynamic_shared_bytes"], s or None, ptrs),
               f"launching {self.name}")
        if sync:
            _check(rt.tlrtSynchronize(), f"running {self.name}")
