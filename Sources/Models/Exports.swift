// `import Models` is enough to decode a photo and classify or embed it: `Image`, its decoding
// limits and errors come from Imaging.
@_exported import Imaging
