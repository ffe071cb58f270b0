/// `report:`: who makes the line's product and what it is, for the product carbon-footprint export
/// (`plantgate report --pcf`). Every key is optional; the export names the ones it misses.
public struct ReportConfig: Sendable, Hashable {
    /// The company that owns the footprint (PACT `companyName`).
    public var companyName: String?
    /// URNs that identify the company (PACT `companyIds`), e.g. `urn:lei:…`.
    public var companyIDs: [String] = []
    /// ISO 3166-1 alpha-2 code of the site's country (PACT `pcf.geographyCountry`), e.g. `KZ`.
    public var country: String?
    /// Data quality ratings (1 best … 5 worst) the LCA practitioner assessed, if any.
    public var dataQuality: DataQualityRatings?
    /// The product of each line, by line id.
    public var products: [String: ReportProduct] = [:]

    public init(companyName: String? = nil, companyIDs: [String] = [], country: String? = nil,
                dataQuality: DataQualityRatings? = nil, products: [String: ReportProduct] = [:]) {
        self.companyName = companyName
        self.companyIDs = companyIDs
        self.country = country
        self.dataQuality = dataQuality
        self.products = products
    }
}

/// `report.products.{line}`: the product a line makes.
public struct ReportProduct: Sendable, Hashable {
    /// URNs that identify the product (PACT `productIds`).
    public var ids: [String] = []
    /// The trade name (PACT `productNameCompany`).
    public var tradeName: String?
    /// Free text: grade, process, packaging (PACT `productDescription`).
    public var description: String?
    /// kg of fossil carbon per kg of product (0 for lithium hydroxide or copper cathode).
    public var fossilCarbonContent: Double = 0

    public init(ids: [String] = [], tradeName: String? = nil, description: String? = nil, fossilCarbonContent: Double = 0) {
        self.ids = ids
        self.tradeName = tradeName
        self.description = description
        self.fossilCarbonContent = fossilCarbonContent
    }
}

/// PACT data quality ratings, each 1 (best) to 5.
public struct DataQualityRatings: Sendable, Hashable {
    public var technological: Double
    public var geographical: Double
    public var temporal: Double

    public init(technological: Double, geographical: Double, temporal: Double) {
        self.technological = technological
        self.geographical = geographical
        self.temporal = temporal
    }
}
