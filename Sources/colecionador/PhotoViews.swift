import Imaging
import Models

/// The views of one photo that a head is trained on: the photo itself and, with augmentation,
/// its horizontal mirror, its central crop (80 % of each side) and that crop's mirror — the
/// variations a collector's next photo of the same item is likely to show (the item facing the
/// other way, framed tighter). Each view is embedded once, before training, so augmentation
/// costs embedding time, not training time per epoch.
enum PhotoViews {
    /// The share of each side the central crop keeps.
    static let cropFraction = 0.8
    /// Views per photo with augmentation.
    static let augmentedCount = 4

    /// `[photo]`, or `[photo, mirror, crop, mirrored crop]` with `augment`.
    static func views(of image: Image, augment: Bool) -> [Image] {
        guard augment else { return [image] }
        let width = max(1, Int((Double(image.width) * cropFraction).rounded()))
        let height = max(1, Int((Double(image.height) * cropFraction).rounded()))
        let crop = image.centerCropped(width: width, height: height)
        return [image, image.oriented(.topRight), crop, crop.oriented(.topRight)]
    }

    /// The short side to decode JPEGs at: the model's resize, or with augmentation enough that
    /// the crop still reaches it (else the crop would be enlarged from fewer pixels than the
    /// photo itself is reduced from).
    static func decodingShortSide(for model: ImageModel, augment: Bool) -> Int {
        let resize = model.preprocessing.resizeShortSide
        return augment ? Int((Double(resize) / cropFraction).rounded(.up)) : resize
    }
}
