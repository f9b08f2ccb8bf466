#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes (write a temporary file beside the
/// target, flush it, then rename), so a crash never leaves a half-written file.
public enum AtomicFile {
  public static func write(_ bytes: [UInt8], to path: String) throws {
    let tmp = "\(path).tmp-\(getpid())"
    guard let f = fopen(tmp, "wb") else {
      throw ArcadeError("\(path): cannot write (\(String(cString: strerror(errno))))")
    }
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
    let flushed = fflush(f) == 0 && fsync(fileno(f)) == 0
    fclose(f)
    guard written == bytes.count, flushed else {
      unlink(tmp)
      throw ArcadeError("\(path): write failed (\(String(cString: strerror(errno))))")
    }
    guard rename(tmp, path) == 0 else {
      let msg = String(cString: strerror(errno))
      unlink(tmp)
      throw ArcadeError("\(path): cannot replace the file (\(msg))")
    }
  }

  public static func write(_ text: String, to path: String) throws {
    try write(Array(text.utf8), to: path)
  }

  public static func read(_ path: String) throws -> [UInt8] {
    guard let f = fopen(path, "rb") else {
      throw ArcadeError("\(path): cannot open (\(String(cString: strerror(errno))))")
    }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = buf.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
      if n > 0 { out.append(contentsOf: buf[0..<n]) }
      if n < buf.count {
        if ferror(f) != 0 { throw ArcadeError("\(path): read error") }
        break
      }
    }
    return out
  }

  public static func readText(_ path: String) throws -> String {
    let bytes = try read(path)
    guard let s = String(validating: bytes, as: UTF8.self) else {
      throw ArcadeError("\(path): not UTF-8 text")
    }
    return s
  }
}

/// Monotonic time in seconds, for benchmarks and frame pacing.
public func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
