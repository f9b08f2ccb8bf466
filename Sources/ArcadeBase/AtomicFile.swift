#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes (write a temporary file beside the
/// target, flush it, then rename), so a crash never leaves a half-written file.
public enum AtomicFile {
  /// A file being written is PATH.tmp-PID until it is renamed to PATH.
  static let temporarySuffix = ".tmp-"

  public static func write(_ bytes: [UInt8], to path: String) throws {
    let tmp = path + temporarySuffix + String(getpid())
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

  /// The whole file, refused when longer than `limit` bytes: at most limit + 1
  /// bytes are read, so /dev/zero or an endless pipe is an error, not a hang.
  public static func read(_ path: String, limit: Int = Int.max) throws -> [UInt8] {
    guard let f = fopen(path, "rb") else {
      throw ArcadeError("\(path): cannot open (\(String(cString: strerror(errno))))")
    }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
      let left = limit - out.count   // ≥ 0 here; + 1 only when small (limit may be Int.max)
      let want = left < buf.count ? left + 1 : buf.count
      let n = buf.withUnsafeMutableBytes { fread($0.baseAddress, 1, want, f) }
      if n > 0 { out.append(contentsOf: buf[0..<n]) }
      if out.count > limit { throw ArcadeError("\(path): larger than \(describeSize(limit)), the limit for this kind of file") }
      if n < want {
        if ferror(f) != 0 { throw ArcadeError("\(path): read error (\(String(cString: strerror(errno))))") }
        break
      }
    }
    return out
  }

  public static func readText(_ path: String, limit: Int = Int.max) throws -> String {
    let bytes = try read(path, limit: limit)
    guard let s = String(validating: bytes, as: UTF8.self) else {
      throw ArcadeError("\(path): not UTF-8 text")
    }
    return s
  }

  /// "1 MB", "4 MB", "512 KB", "100 bytes".
  static func describeSize(_ n: Int) -> String {
    n >= 1 << 20 && n % (1 << 20) == 0 ? "\(n >> 20) MB" : n >= 1 << 10 && n % (1 << 10) == 0 ? "\(n >> 10) KB" : "\(n) bytes"
  }

  /// Removes temporary files of `write` (NAME.tmp-PID) in `directory` whose
  /// writer is gone (killed mid-write); a live writer's file is kept. Returns
  /// the names removed.
  @discardableResult
  public static func removeStaleTemporaries(in directory: String) -> [String] {
    guard let dir = opendir(directory) else { return [] }
    defer { closedir(dir) }
    var removed: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
      guard let pid = temporaryWriter(name), kill(pid, 0) == -1 && errno == ESRCH else { continue }
      if unlink(directory + "/" + name) == 0 { removed.append(name) }
    }
    return removed
  }

  /// The writer's PID when `name` is a temporary file of `write` (NAME.tmp-PID).
  static func temporaryWriter(_ name: String) -> pid_t? {
    let digits = String(name.reversed().prefix(while: { $0.isASCII && $0.isNumber }).reversed())
    guard !digits.isEmpty, name.count > temporarySuffix.count + digits.count,
          name.dropLast(digits.count).hasSuffix(temporarySuffix), let pid = pid_t(digits), pid > 0 else { return nil }
    return pid
  }
}
