import PlantModel

/// The plant model's register table, named apart from `Modbus.RegisterTable` in files importing both.
typealias PlantModelTable = PlantModel.RegisterTable
