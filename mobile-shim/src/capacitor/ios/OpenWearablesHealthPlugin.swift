// Thin HealthKit adapter for the Capacitor plugin `OpenWearablesHealth` (definitions.ts). NOT COMPILED HERE:
// no Xcode/iOS SDK in this environment. It only moves raw samples across in the JSON contract of
// src/ports/raw-samples.ts; units, ids, envelope, anchors' commit policy and retries live in TypeScript.
// Fixtures: ../fixtures/healthkit-*.json (a native unit test should serialize the same samples to them).
import Capacitor
import HealthKit
import BackgroundTasks
import Foundation

@objc(OpenWearablesHealthPlugin)
public class OpenWearablesHealthPlugin: CAPPlugin, CAPBridgedPlugin {
    public let identifier = "OpenWearablesHealthPlugin"
    public let jsName = "OpenWearablesHealth"
    public let pluginMethods: [CAPPluginMethod] = [
        "getPlatform", "getAvailableProviders", "setProvider", "requestAuthorization", "read", "startObserving", "stopObserving",
        "scheduleBackground", "cancelBackground", "completeBackgroundTask", "secureGet", "secureSet", "secureDelete", "secureKeys",
        "prefsGet", "prefsSet", "prefsDelete", "prefsKeys", "deviceInfo",
    ].map { CAPPluginMethod(name: $0, returnType: CAPPluginReturnPromise) }

    static let refreshTask = "com.openwearables.healthsdk.task.refresh"
    static let processTask = "com.openwearables.healthsdk.task.process"
    private let store = HKHealthStore()
    private var observers: [HKObserverQuery] = []
    /// Observer completion handlers and BG tasks are held until JS reports the pass finished.
    private var pendingCompletions: [String: () -> Void] = [:]

    /// Preferred units per identifier: must match HK_UNITS in core/platforms/healthkit.ts.
    static let units: [String: String] = [
        "HKQuantityTypeIdentifierStepCount": "count", "HKQuantityTypeIdentifierFlightsClimbed": "count",
        "HKQuantityTypeIdentifierDistanceWalkingRunning": "m", "HKQuantityTypeIdentifierDistanceCycling": "m",
        "HKQuantityTypeIdentifierActiveEnergyBurned": "kcal", "HKQuantityTypeIdentifierBasalEnergyBurned": "kcal",
        "HKQuantityTypeIdentifierHeartRate": "count/min", "HKQuantityTypeIdentifierRestingHeartRate": "count/min",
        "HKQuantityTypeIdentifierHeartRateVariabilitySDNN": "ms", "HKQuantityTypeIdentifierOxygenSaturation": "%",
        "HKQuantityTypeIdentifierRespiratoryRate": "count/min", "HKQuantityTypeIdentifierBodyMass": "kg",
        "HKQuantityTypeIdentifierHeight": "m", "HKQuantityTypeIdentifierBodyFatPercentage": "%",
        "HKQuantityTypeIdentifierBloodGlucose": "mg/dL", "HKQuantityTypeIdentifierBodyTemperature": "degC",
        "HKQuantityTypeIdentifierVO2Max": "ml/kg·min", "HKQuantityTypeIdentifierDietaryWater": "L",
        // … the remaining identifiers of HK_UNITS follow the same table.
    ]

    public override func load() {
        // Handlers must be registered before the app finishes launching (the app touches the plugin early).
        BGTaskScheduler.shared.register(forTaskWithIdentifier: Self.refreshTask, using: nil) { task in self.runBackground(task, kind: "refresh") }
        BGTaskScheduler.shared.register(forTaskWithIdentifier: Self.processTask, using: nil) { task in self.runBackground(task, kind: "processing") }
    }

    private func sampleType(_ id: String) -> HKSampleType? {
        if id == "HKWorkoutTypeIdentifier" { return HKObjectType.workoutType() }
        if id.hasPrefix("HKCategoryTypeIdentifier") { return HKObjectType.categoryType(forIdentifier: HKCategoryTypeIdentifier(rawValue: id)) }
        return HKObjectType.quantityType(forIdentifier: HKQuantityTypeIdentifier(rawValue: id))
    }

    @objc func getPlatform(_ call: CAPPluginCall) { call.resolve(["platform": "healthkit"]) }
    @objc func getAvailableProviders(_ call: CAPPluginCall) { call.resolve(["providers": []]) }
    @objc func setProvider(_ call: CAPPluginCall) { call.resolve(["ok": true]) }

    @objc func requestAuthorization(_ call: CAPPluginCall) {
        let types = Set((call.getArray("keys", String.self) ?? []).compactMap { sampleType($0) as HKObjectType? })
        store.requestAuthorization(toShare: nil, read: types) { _, error in
            // HealthKit never reveals read denials: granted = null, denied types simply return no samples.
            if let error = error { call.reject(error.localizedDescription) } else { call.resolve(["granted": NSNull()]) }
        }
    }

    @objc func read(_ call: CAPPluginCall) {
        guard let key = call.getString("key"), let type = sampleType(key) else { return call.reject("unknown key") }
        let limit = call.getInt("limit") ?? 500
        var anchor: HKQueryAnchor? = nil
        if let a = call.getString("anchor"), let data = Data(base64Encoded: a) {
            anchor = try? NSKeyedUnarchiver.unarchivedObject(ofClass: HKQueryAnchor.self, from: data)
        }
        var predicate: NSPredicate? = nil
        if let floor = call.getDouble("startAtOrAfter") {
            predicate = HKQuery.predicateForSamples(withStart: Date(timeIntervalSince1970: floor / 1000), end: nil, options: .strictStartDate)
        }
        let query = HKAnchoredObjectQuery(type: type, predicate: predicate, anchor: anchor, limit: limit) { _, samples, deleted, newAnchor, error in
            if let error = error { return call.reject(error.localizedDescription) }
            let out = (samples ?? []).map { self.serialize($0, key: key) }
            let encoded = newAnchor.flatMap { try? NSKeyedArchiver.archivedData(withRootObject: $0, requiringSecureCoding: true) }?.base64EncodedString() ?? ""
            // Deleted objects count against the limit (iOS 0.14 fix): a full page means "maybe more".
            let hasMore = (samples?.count ?? 0) + (deleted?.count ?? 0) >= limit
            call.resolve(["samples": out, "anchor": encoded, "hasMore": hasMore])
        }
        store.execute(query)
    }

    private func serialize(_ s: HKSample, key: String) -> [String: Any] {
        var o: [String: Any] = [
            "platform": "healthkit", "uuid": s.uuid.uuidString, "type": key,
            "start": s.startDate.timeIntervalSince1970 * 1000, "end": s.endDate.timeIntervalSince1970 * 1000,
        ]
        let v = s.sourceRevision.operatingSystemVersion
        o["source"] = ["bundleId": s.sourceRevision.source.bundleIdentifier, "name": s.sourceRevision.source.name,
                       "productType": s.sourceRevision.productType ?? NSNull(), "osVersion": [v.majorVersion, v.minorVersion, v.patchVersion]]
        if let d = s.device {
            o["device"] = ["name": d.name ?? NSNull(), "manufacturer": d.manufacturer ?? NSNull(), "model": d.model ?? NSNull(),
                           "hardwareVersion": d.hardwareVersion ?? NSNull(), "softwareVersion": d.softwareVersion ?? NSNull()]
        }
        o["metadata"] = s.metadata.map { $0.mapValues { String(describing: $0) } } ?? NSNull()
        if let q = s as? HKQuantitySample, let unitString = Self.units[key] {
            let unit = HKUnit(from: unitString)
            if q.quantity.is(compatibleWith: unit) { o["value"] = q.quantity.doubleValue(for: unit); o["unit"] = unitString }
        } else if let c = s as? HKCategorySample {
            o["value"] = c.value
        } else if let w = s as? HKWorkout {
            var stats: [[String: Any]] = [["type": "duration", "value": w.duration, "unit": "s"]]
            if let e = w.statistics(for: HKQuantityType(.activeEnergyBurned))?.sumQuantity() {
                stats.append(["type": "activeEnergyBurned", "value": e.doubleValue(for: .kilocalorie()), "unit": "kcal"])
            }
            if let d = w.totalDistance { stats.append(["type": "distance", "value": d.doubleValue(for: .meter()), "unit": "m"]) }
            o["workout"] = ["activityType": Self.activityName(w.workoutActivityType), "stats": stats]
        }
        return o
    }

    static func activityName(_ t: HKWorkoutActivityType) -> String {
        switch t {
        case .running: return "running"
        case .cycling: return "cycling"
        case .walking: return "walking"
        case .swimming: return "swimming"
        case .hiking: return "hiking"
        case .yoga: return "yoga"
        case .traditionalStrengthTraining, .functionalStrengthTraining: return "strength_training"
        case .highIntensityIntervalTraining: return "hiit"
        default: return "other"
        }
    }

    @objc func startObserving(_ call: CAPPluginCall) {
        stopAll()
        for key in call.getArray("keys", String.self) ?? [] {
            guard let type = sampleType(key) else { continue }
            let q = HKObserverQuery(sampleType: type, predicate: nil) { _, completion, error in
                guard error == nil else { return completion() }
                let id = UUID().uuidString
                self.pendingCompletions[id] = completion   // held until JS finished its (debounced) pass
                self.notifyListeners("healthChanged", data: ["keys": [key], "taskId": id])
                DispatchQueue.main.asyncAfter(deadline: .now() + 25) { self.complete(id) } // never hold past the OS budget
            }
            store.execute(q)
            observers.append(q)
            store.enableBackgroundDelivery(for: type, frequency: .immediate) { _, _ in }
        }
        call.resolve()
    }

    private func stopAll() {
        observers.forEach { store.stop($0) }
        observers.removeAll()
        store.disableAllBackgroundDelivery { _, _ in }
    }
    @objc func stopObserving(_ call: CAPPluginCall) { stopAll(); call.resolve() }

    @objc func scheduleBackground(_ call: CAPPluginCall) {
        let minutes = Double(call.getInt("intervalMinutes") ?? 15)
        let refresh = BGAppRefreshTaskRequest(identifier: Self.refreshTask)
        refresh.earliestBeginDate = Date(timeIntervalSinceNow: minutes * 60)
        let process = BGProcessingTaskRequest(identifier: Self.processTask)
        process.requiresNetworkConnectivity = true
        try? BGTaskScheduler.shared.submit(refresh)
        try? BGTaskScheduler.shared.submit(process)
        call.resolve()
    }
    @objc func cancelBackground(_ call: CAPPluginCall) {
        BGTaskScheduler.shared.cancel(taskRequestWithIdentifier: Self.refreshTask)
        BGTaskScheduler.shared.cancel(taskRequestWithIdentifier: Self.processTask)
        call.resolve()
    }

    private func runBackground(_ task: BGTask, kind: String) {
        let id = UUID().uuidString
        pendingCompletions[id] = { task.setTaskCompleted(success: true) }
        task.expirationHandler = { self.complete(id) }
        notifyListeners("backgroundTask", data: ["taskId": id, "kind": kind])
    }
    private func complete(_ id: String) { pendingCompletions.removeValue(forKey: id)?() }
    @objc func completeBackgroundTask(_ call: CAPPluginCall) { complete(call.getString("taskId") ?? ""); call.resolve() }

    // Keychain: service com.openwearables.healthsdk.tokens, AfterFirstUnlockThisDeviceOnly (background refresh while locked).
    private func keychainQuery(_ key: String) -> [String: Any] {
        [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: "com.openwearables.healthsdk.tokens", kSecAttrAccount as String: key]
    }
    @objc func secureGet(_ call: CAPPluginCall) {
        var q = keychainQuery(call.getString("key") ?? ""); q[kSecReturnData as String] = true
        var out: AnyObject?
        let value = SecItemCopyMatching(q as CFDictionary, &out) == errSecSuccess ? (out as? Data).flatMap { String(data: $0, encoding: .utf8) } : nil
        call.resolve(["value": value ?? NSNull()])
    }
    @objc func secureSet(_ call: CAPPluginCall) {
        let q = keychainQuery(call.getString("key") ?? "")
        SecItemDelete(q as CFDictionary)
        var add = q
        add[kSecValueData as String] = (call.getString("value") ?? "").data(using: .utf8)
        add[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        SecItemAdd(add as CFDictionary, nil) == errSecSuccess ? call.resolve() : call.reject("keychain write failed")
    }
    @objc func secureDelete(_ call: CAPPluginCall) { SecItemDelete(keychainQuery(call.getString("key") ?? "") as CFDictionary); call.resolve() }
    @objc func secureKeys(_ call: CAPPluginCall) {
        let prefix = call.getString("prefix") ?? ""
        call.resolve(["keys": ["userId", "accessToken", "refreshToken", "apiKey"].filter { $0.hasPrefix(prefix) }])
    }

    // Prefs and sync state: one file per key in Application Support, written atomically (write + rename).
    private var dir: URL {
        let d = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0].appendingPathComponent("openwearables")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }
    private func file(_ key: String) -> URL { dir.appendingPathComponent(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key) }
    @objc func prefsGet(_ call: CAPPluginCall) { call.resolve(["value": (try? String(contentsOf: file(call.getString("key") ?? ""), encoding: .utf8)) ?? NSNull()]) }
    @objc func prefsSet(_ call: CAPPluginCall) {
        do { try (call.getString("value") ?? "").write(to: file(call.getString("key") ?? ""), atomically: true, encoding: .utf8); call.resolve() }
        catch { call.reject(error.localizedDescription) }
    }
    @objc func prefsDelete(_ call: CAPPluginCall) { try? FileManager.default.removeItem(at: file(call.getString("key") ?? "")); call.resolve() }
    @objc func prefsKeys(_ call: CAPPluginCall) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        call.resolve(["keys": names.compactMap { $0.removingPercentEncoding }.filter { $0.hasPrefix(call.getString("prefix") ?? "") }])
    }
    @objc func deviceInfo(_ call: CAPPluginCall) {
        #if DEBUG
        let debug = true
        #else
        let debug = false
        #endif
        call.resolve(["manufacturer": "Apple", "model": UIDevice.current.model, "osVersion": UIDevice.current.systemVersion, "isDebugBuild": debug])
    }
}
