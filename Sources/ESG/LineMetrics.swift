import PlantModel

/// The first-release metric set of metrics.md for one line over one window.
///
/// Every metric is a small formula over role totals; a later metric is one more `emit` here.
struct LineMetrics {
    let layout: LineLayout
    let factors: EmissionFactors
    let settings: EngineSettings

    /// Hands each metric (id, unit, value) to `emit`, in a fixed order. `period` is the calendar kind
    /// of a closed record, nil for a rolling window (which has no storage edges); `edges` its wall-clock
    /// start and end (ns), against which contractual instruments are matched.
    func derive(windowNanos: Int64, period: PeriodKind? = nil, edges: (Int64, Int64)? = nil, totals: (Int) -> InputTotals,
                emit: (String, String, MetricValue) -> Void) {
        let s = settings
        func tally(_ g: [Int]) -> Tally { Tally(g, windowNanos: windowNanos, totals: totals) }
        let minProduct = layout.product.minimumTonnes
        let hasElectricity = !layout.importSource.isEmpty
        let electricity = tally(layout.importSource)
        if hasElectricity { emit("electricity_import_kwh", "kWh", electricity.value(s)) }
        if !layout.exports.isEmpty {
            let export = tally(layout.exports)
            emit("electricity_export_kwh", "kWh", export.value(s))
            if hasElectricity { emit("electricity_net_kwh", "kWh", (electricity - export).value(s)) }
        }
        if !layout.power.isEmpty {
            var energy = tally(layout.power)
            let hours = Tally(coveredHoursOf: layout.power, totals: totals)
            energy.coverage = min(energy.coverage, 1)
            emit("power_kw", "kW", energy.ratio(over: hours, minimum: 0, s))
        }
        if !layout.reactive.isEmpty {
            let reactive = tally(layout.reactive)
            emit("reactive_import_kvarh", "kvarh", reactive.value(s))
        }
        if hasElectricity && (!layout.apparent.isEmpty || !layout.reactive.isEmpty) {
            emit("power_factor_avg", "1", powerFactor(electricity, tally: tally))
        }
        var fuelEnergy = Tally()
        var scope1 = Tally()
        if !layout.fuels.isEmpty {
            var volume = Tally()
            var first = true
            for fuel in layout.fuels {
                let v = tally([fuel.input])
                var gj = v.scaled(fuel.ncvMJPerNm3.isFinite ? fuel.ncvMJPerNm3 / 1000 : 0)
                if !fuel.ncvMJPerNm3.isFinite { gj.floor = .bad; gj.coverage = 0; gj.reasons.insert(.missingFactor) }
                var co2 = gj.scaled((fuel.factor?.value ?? 0) / 1000)
                if fuel.factor == nil { co2.floor = .bad; co2.coverage = 0; co2.reasons.insert(.missingFactor) }
                volume = first ? v : volume + v
                fuelEnergy = first ? gj : fuelEnergy + gj
                scope1 = first ? co2 : scope1 + co2
                first = false
            }
            emit("gas_volume_nm3", "Nm3", volume.value(s))
            emit("gas_energy_gj", "GJ", fuelEnergy.value(s))
            emit("scope1_combustion_tco2e", "tCO2e", scope1.value(s))
        }
        let hasFuel = !layout.fuels.isEmpty
        var energyTotal = Tally()
        if hasElectricity || hasFuel {
            let electricGJ = electricity.scaled(0.0036)
            energyTotal = hasElectricity && hasFuel ? fuelEnergy + electricGJ : (hasFuel ? fuelEnergy : electricGJ)
            emit("energy_total_gj", "GJ", energyTotal.value(s))
        }
        let scope2LB = electricity.scaled(factors.grid.value / 1000)
        var scope2MB: Tally?
        let onsite = tally(layout.onsite)
        if hasElectricity {
            emit("scope2_lb_tco2e", "tCO2e", scope2LB.value(s))
            if let market = factors.market, !market.instruments.isEmpty {
                if let edges {
                    let (mb, renewable) = marketBased(electricity, onsite: onsite, market: market, edges: edges)
                    scope2MB = mb
                    emit("scope2_mb_tco2e", "tCO2e", mb.value(s))
                    emit("renewable_electricity_share", "1", renewable)
                }
            } else if let market = factors.market {
                let share = min(1, max(0, market.instrumentShare))
                let kg = share * market.instrument.value + (1 - share) * market.residual.value
                let mb = electricity.scaled(kg / 1000)
                scope2MB = mb
                emit("scope2_mb_tco2e", "tCO2e", mb.value(s))
            }
        }
        if !layout.onsite.isEmpty { emit("electricity_onsite_renewable_kwh", "kWh", onsite.value(s)) }
        let hasProduct = !layout.products.isEmpty
        let product = tally(layout.products)
        if hasProduct {
            emit("product_t", "t", product.value(s))
            if let lce = layout.product.lceFactor { emit("product_lce_t", "t", product.scaled(lce).value(s)) }
            if hasElectricity { emit("sec_electric_kwh_per_t", "kWh/t", electricity.ratio(over: product, minimum: minProduct, s)) }
            if hasElectricity || hasFuel { emit("sec_total_gj_per_t", "GJ/t", energyTotal.ratio(over: product, minimum: minProduct, s)) }
            if hasElectricity || hasFuel {
                let lb = hasFuel ? (hasElectricity ? scope1 + scope2LB : scope1) : scope2LB
                emit("ghg_intensity_kgco2e_per_t", "kgCO2e/t", lb.ratio(over: product, minimum: minProduct, scale: 1000, s))
                if let mb = scope2MB {
                    let total = hasFuel ? scope1 + mb : mb
                    emit("ghg_intensity_mb_kgco2e_per_t", "kgCO2e/t", total.ratio(over: product, minimum: minProduct, scale: 1000, s))
                }
            }
        }
        deriveWater(tally: tally, product: hasProduct ? product : nil, emit: emit)
        deriveElectrowinning(tally: tally, emit: emit)
        if let period, !layout.storages.isEmpty {
            deriveStorage(period: period, windowNanos: windowNanos, totals: totals, tally: tally, emit: emit)
        }
    }

    private func powerFactor(_ kwh: Tally, tally: ([Int]) -> Tally) -> MetricValue {
        let s = settings
        if !layout.apparent.isEmpty { return kwh.ratio(over: tally(layout.apparent), minimum: 0, s) }
        let kvarh = tally(layout.reactive)
        var apparent = kwh + kvarh
        apparent.sum = (kwh.sum * kwh.sum + kvarh.sum * kvarh.sum).squareRoot()
        return kwh.ratio(over: apparent, minimum: 0, s)
    }

    private func deriveWater(tally: ([Int]) -> Tally, product: Tally?, emit: (String, String, MetricValue) -> Void) {
        let s = settings
        let withdrawal = tally(layout.withdrawal)
        if !layout.withdrawal.isEmpty {
            emit("water_withdrawal_m3", "m3", withdrawal.value(s))
            for c in layout.withdrawalClasses { emit(c.metricID, "m3", tally(c.inputs).value(s)) }
        }
        if !layout.discharge.isEmpty {
            emit("water_discharge_m3", "m3", tally(layout.discharge).value(s))
            for c in layout.dischargeClasses { emit(c.metricID, "m3", tally(c.inputs).value(s)) }
        }
        if !layout.withdrawal.isEmpty {
            emit("water_consumption_m3", "m3", (withdrawal - tally(layout.discharge)).value(s))
        }
        if !layout.recycle.isEmpty {
            let recycled = tally(layout.recycle)
            emit("water_recycled_m3", "m3", recycled.value(s))
            if !layout.withdrawal.isEmpty {
                emit("water_reuse_efficiency", "1", recycled.ratio(over: recycled + withdrawal, minimum: 0, s))
            }
        }
        if let product, !layout.withdrawal.isEmpty {
            emit("water_intensity_m3_per_t", "m3/t", withdrawal.ratio(over: product, minimum: layout.product.minimumTonnes, s))
        }
    }
}

extension Tally {
    /// Hours backed by valid power segments, as a denominator for average power.
    init(coveredHoursOf inputs: [Int], totals: (Int) -> InputTotals) {
        self.init()
        var nanos: Int64 = 0
        for g in inputs { nanos = max(nanos, totals(g).coveredNanos) }
        sum = Double(nanos) / 3.6e12
    }
}
