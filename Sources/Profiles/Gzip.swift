import CGzipShim
import Foundation

/// gzip compression (zlib's deflate with a gzip header), for `.pb.gz` files.
enum Gzip {
    static func compress(_ data: Data) throws -> Data {
        var output = Data(count: diag_gzip_bound(data.count))
        let written = output.withUnsafeMutableBytes { target in
            data.withUnsafeBytes { source in
                diag_gzip(source.baseAddress, source.count, target.baseAddress, target.count)
            }
        }
        guard written > 0 else { throw ProfileFormatError(message: "gzip compression failed") }
        output.count = written
        return output
    }
}
