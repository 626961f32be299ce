import CollectionLearning

/// A model version's classifier, loaded: the backbone's ImageNet classes, the nearest-items
/// vote, or a trained head (checked against the version's backbone when loaded).
public enum VersionClassifier: Sendable {
    case imagenet
    case nearestItems(NearestItemsVote)
    case head(ClassifierHead)
}
