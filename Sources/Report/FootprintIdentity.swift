import PlantModel

/// Who makes the product and what it is: the configured facts a PACT footprint needs beyond the figures.
public struct FootprintIdentity: Sendable, Hashable {
    public var companyName: String
    public var companyIDs: [String]
    public var productIDs: [String]
    public var productName: String
    public var productDescription: String
    /// ISO 3166-1 alpha-2.
    public var country: String
    /// kg of fossil carbon per kg of product.
    public var fossilCarbonContent: Double
    /// Data quality ratings (1…5), when an LCA practitioner assessed them.
    public var dataQuality: DataQualityRatings?

    public init(companyName: String, companyIDs: [String], productIDs: [String], productName: String, productDescription: String,
                country: String, fossilCarbonContent: Double = 0, dataQuality: DataQualityRatings? = nil) {
        self.companyName = companyName
        self.companyIDs = companyIDs
        self.productIDs = productIDs
        self.productName = productName
        self.productDescription = productDescription
        self.country = country
        self.fossilCarbonContent = fossilCarbonContent
        self.dataQuality = dataQuality
    }
}
