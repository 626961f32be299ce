import Imaging
import Testing

/// (e) Bad inputs give typed errors — never a trap, never a huge allocation (the declared
/// 65000×65000 JPEG and 100000×100000 PNG would need 12.7 GB and 30 GB of RGB).
@Suite struct BadInputTests {
    @Test(arguments: Fixtures.manifest.bad)
    func rejectsWithTypedError(_ entry: Fixtures.Manifest.Bad) throws {
        let bytes = try Fixtures.bytes(entry.file)
        #expect(throws: ImagingError.self) { try Image(decoding: bytes) }
        do {
            _ = try Image(decoding: bytes)
        } catch {
            #expect(error.code.rawValue == entry.code, "\(entry.file): \(error)")
            #expect(!error.message.isEmpty)
        }
    }

    /// Damage libjpeg only warns about (stray bytes between markers) decodes as in Pillow.
    @Test(arguments: Fixtures.manifest.tolerated)
    func toleratesRecoverableJPEGDamage(_ entry: Fixtures.Manifest.Exif) throws {
        let image = try Image(decoding: try Fixtures.bytes(entry.file))
        #expect(image.width == entry.width && image.height == entry.height)
        #expect(image.pixels == (try Fixtures.bytes(entry.expected)))
    }

    @Test func inputLargerThanTheLimit() throws {
        let bytes = try Fixtures.sample("rocket.jpg")
        do {
            _ = try Image(decoding: bytes, limits: DecodingLimits(maxInputBytes: 100_000))
            Issue.record("expected tooLarge")
        } catch {
            #expect(error.code == .tooLarge)
        }
    }

    @Test func pixelLimitIsCheckedOnTheDeclaredSize() throws {
        // 2000×1500 = 3 MP declared; even with DCT scaling to 500×375 the limit applies.
        let bytes = try Fixtures.bytes("dct/smooth_2000x1500.jpg")
        let limits = DecodingLimits(maxPixels: 2_999_999)
        do {
            _ = try Image(decoding: bytes, minimumShortSide: 256, limits: limits)
            Issue.record("expected tooManyPixels")
        } catch {
            #expect(error.code == .tooManyPixels)
        }
        let png = try Fixtures.sample("coffee.png")  // 600×400
        do {
            _ = try Image(decoding: png, limits: DecodingLimits(maxPixels: 239_999))
            Issue.record("expected tooManyPixels")
        } catch {
            #expect(error.code == .tooManyPixels)
        }
        #expect(try Image(decoding: png, limits: DecodingLimits(maxPixels: 240_000)).width == 600)
    }

    /// Every prefix of a JPEG and of a PNG is rejected with a typed error or decoded; none
    /// traps. Sampled lengths keep the debug-build run short.
    @Test func everyPrefixIsHandled() throws {
        for file in ["exif/orientation_3.jpg", "png/rgba8.png", "png/rgb8_interlaced.png"] {
            let bytes = try Fixtures.bytes(file)
            for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)) {
                do {
                    _ = try Image(decoding: Array(bytes.prefix(length)))
                } catch {
                    #expect([.emptyInput, .unsupportedFormat, .truncated, .corrupt].contains(error.code), "\(file) prefix \(length): \(error)")
                }
            }
        }
    }

    /// Seeded random corruption (1–8 overwritten bytes) of a JPEG with EXIF and of PNGs:
    /// every mutant decodes or throws a typed error; none traps.
    @Test func randomCorruptionIsHandled() throws {
        var random = SplitMix64(seed: 20261125)
        for file in ["exif/orientation_6.jpg", "exif/orientation_8_progressive.jpg", "png/rgba8.png", "png/palette4_trns.png", "png/rgba16_interlaced.png"] {
            let original = try Fixtures.bytes(file)
            for _ in 0..<150 {
                var mutant = original
                for _ in 0...(random.next() % 8) {
                    mutant[Int(random.next() % UInt64(mutant.count))] = UInt8(truncatingIfNeeded: random.next())
                }
                _ = ExifOrientation(jpeg: mutant)
                do {
                    let image = try Image(decoding: mutant)
                    #expect(image.pixels.count == image.width * image.height * 3)
                } catch {
                    #expect(!error.message.isEmpty)
                }
            }
        }
    }
}

/// A small deterministic generator (SplitMix64) for reproducible corruption.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
