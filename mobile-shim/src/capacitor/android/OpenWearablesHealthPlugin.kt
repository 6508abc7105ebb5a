// Thin Health Connect (+ Samsung Health where available) adapter for the Capacitor plugin `OpenWearablesHealth`
// (definitions.ts). NOT COMPILED HERE: no Android SDK/Gradle in this environment. It only moves raw records
// across in the JSON contract of src/ports/raw-samples.ts; mapping, ids of derived children, units, the envelope,
// anchor commit policy, retries and refresh live in TypeScript. Fixtures: ../fixtures/healthconnect-*.json.
package io.openwearables.capacitor

import androidx.health.connect.client.HealthConnectClient
import androidx.health.connect.client.PermissionController
import androidx.health.connect.client.changes.UpsertionChange
import androidx.health.connect.client.permission.HealthPermission
import androidx.health.connect.client.records.*
import androidx.health.connect.client.request.ChangesTokenRequest
import androidx.work.*
import com.getcapacitor.*
import com.getcapacitor.annotation.CapacitorPlugin
import kotlinx.coroutines.*
import java.util.concurrent.TimeUnit
import kotlin.reflect.KClass

@CapacitorPlugin(name = "OpenWearablesHealth")
class OpenWearablesHealthPlugin : Plugin() {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
    private val client by lazy { HealthConnectClient.getOrCreate(context) }
    private var provider = "google"

    companion object {
        const val PERIODIC_WORK = "health_sync_periodic"
        var instance: OpenWearablesHealthPlugin? = null
        /** Must match HC_TYPES in core/platforms/health-connect.ts. */
        val RECORDS: Map<String, KClass<out Record>> = mapOf(
            "Steps" to StepsRecord::class, "HeartRate" to HeartRateRecord::class, "RestingHeartRate" to RestingHeartRateRecord::class,
            "HeartRateVariabilityRmssd" to HeartRateVariabilityRmssdRecord::class, "OxygenSaturation" to OxygenSaturationRecord::class,
            "BloodPressure" to BloodPressureRecord::class, "BloodGlucose" to BloodGlucoseRecord::class,
            "ActiveCaloriesBurned" to ActiveCaloriesBurnedRecord::class, "BasalMetabolicRate" to BasalMetabolicRateRecord::class,
            "BodyTemperature" to BodyTemperatureRecord::class, "Weight" to WeightRecord::class, "Height" to HeightRecord::class,
            "BodyFat" to BodyFatRecord::class, "LeanBodyMass" to LeanBodyMassRecord::class, "FloorsClimbed" to FloorsClimbedRecord::class,
            "Distance" to DistanceRecord::class, "Hydration" to HydrationRecord::class, "Vo2Max" to Vo2MaxRecord::class,
            "RespiratoryRate" to RespiratoryRateRecord::class, "ExerciseSession" to ExerciseSessionRecord::class, "SleepSession" to SleepSessionRecord::class,
        )
    }

    override fun load() { instance = this }

    @PluginMethod fun getPlatform(call: PluginCall) = call.resolve(JSObject().put("platform", if (provider == "samsung") "samsung" else "healthconnect"))

    @PluginMethod fun getAvailableProviders(call: PluginCall) {
        val hc = HealthConnectClient.getSdkStatus(context) == HealthConnectClient.SDK_AVAILABLE
        val samsung = SamsungHealthReader.isAvailable(context)
        call.resolve(JSObject().put("providers", JSArray(listOf(
            JSObject().put("id", "google").put("displayName", "Health Connect").put("isAvailable", hc),
            JSObject().put("id", "samsung").put("displayName", "Samsung Health").put("isAvailable", samsung)))))
    }

    @PluginMethod fun setProvider(call: PluginCall) {
        val id = call.getString("id")
        val ok = when (id) { "google" -> true; "samsung" -> SamsungHealthReader.isAvailable(context); else -> false }
        if (ok) provider = id!!
        call.resolve(JSObject().put("ok", ok))
    }

    @PluginMethod fun requestAuthorization(call: PluginCall) {
        val keys = call.getArray("keys").toList<String>()
        val perms = keys.mapNotNull { RECORDS[it] }.map { HealthPermission.getReadPermission(it) }.toMutableSet()
        // Optional: background reads and > 30 days of history (restricted permissions; Play declaration needed).
        if (call.getBoolean("background", false) == true) perms += HealthPermission.PERMISSION_READ_HEALTH_DATA_IN_BACKGROUND
        if (call.getBoolean("history", false) == true) perms += HealthPermission.PERMISSION_READ_HEALTH_DATA_HISTORY
        scope.launch {
            val already = client.permissionController.getGrantedPermissions()
            val missing = perms - already
            val granted = if (missing.isEmpty()) already else requestPermissions(missing) + already
            val grantedKeys = keys.filter { k -> RECORDS[k]?.let { HealthPermission.getReadPermission(it) in granted } == true }
            call.resolve(JSObject().put("granted", JSArray(grantedKeys))
                .put("background", HealthPermission.PERMISSION_READ_HEALTH_DATA_IN_BACKGROUND in granted)
                .put("history", HealthPermission.PERMISSION_READ_HEALTH_DATA_HISTORY in granted))
        }
    }

    /** Launches the Health Connect permission contract from the host activity (registered at plugin load). */
    private suspend fun requestPermissions(perms: Set<String>): Set<String> = suspendCancellableCoroutine { cont ->
        val launcher = activity.activityResultRegistry.register("health_connect_permissions",
            PermissionController.createRequestPermissionResultContract()) { result -> cont.resume(result) { } }
        launcher.launch(perms)
    }

    /**
     * Changes-token reads: a null anchor mints a token (the store's own catch-up window applies) and reads the
     * existing records once; later reads return upserted records in change order. Expired tokens are reported
     * (`anchorExpired`) and TypeScript restarts the type.
     */
    @PluginMethod fun read(call: PluginCall) {
        val key = call.getString("key")!!
        if (provider == "samsung") return SamsungHealthReader.read(context, call)
        val type = RECORDS[key] ?: return call.reject("unknown key")
        val limit = call.getInt("limit", 500)!!
        scope.launch {
            try {
                val anchor = call.getString("anchor")
                val token = anchor ?: client.getChangesToken(ChangesTokenRequest(setOf(type)))
                val changes = client.getChanges(token)
                if (changes.changesTokenExpired) return@launch call.resolve(JSObject().put("samples", JSArray()).put("anchor", "").put("hasMore", false).put("anchorExpired", true))
                val records = changes.changes.filterIsInstance<UpsertionChange>().map { it.record }.take(limit)
                val out = JSArray(records.map { RecordJson.serialize(key, it) })
                call.resolve(JSObject().put("samples", out).put("anchor", changes.nextChangesToken).put("hasMore", changes.hasMore))
            } catch (e: SecurityException) {
                // Not granted: no data, the type completes (partial grants are normal).
                call.resolve(JSObject().put("samples", JSArray()).put("anchor", call.getString("anchor") ?: "").put("hasMore", false))
            } catch (e: Exception) { call.reject(e.message) }
        }
    }

    @PluginMethod fun startObserving(call: PluginCall) = call.resolve() // Health Connect has no observer; WorkManager polls
    @PluginMethod fun stopObserving(call: PluginCall) = call.resolve()

    @PluginMethod fun scheduleBackground(call: PluginCall) {
        val minutes = maxOf(15, call.getInt("intervalMinutes", 15)!!).toLong()
        val work = PeriodicWorkRequestBuilder<SyncWorker>(minutes, TimeUnit.MINUTES)
            .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build()).build()
        WorkManager.getInstance(context).enqueueUniquePeriodicWork(PERIODIC_WORK, ExistingPeriodicWorkPolicy.UPDATE, work)
        call.resolve()
    }
    @PluginMethod fun cancelBackground(call: PluginCall) { WorkManager.getInstance(context).cancelUniqueWork(PERIODIC_WORK); call.resolve() }
    @PluginMethod fun completeBackgroundTask(call: PluginCall) { SyncWorker.complete(call.getString("taskId")!!, call.getBoolean("success", true)!!); call.resolve() }

    /** Called by SyncWorker: wakes the JS engine's pass and waits for completeBackgroundTask. */
    fun emitBackgroundTask(taskId: String) = notifyListeners("backgroundTask", JSObject().put("taskId", taskId).put("kind", "periodic"))

    // Secure store: EncryptedSharedPreferences "com.openwearables.healthsdk.secure" (per-key commit; clear() is unreliable).
    @PluginMethod fun secureGet(call: PluginCall) = call.resolve(JSObject().put("value", SecurePrefs.get(context).getString(call.getString("key"), null)))
    @PluginMethod fun secureSet(call: PluginCall) { SecurePrefs.get(context).edit().putString(call.getString("key"), call.getString("value")).commit(); call.resolve() }
    @PluginMethod fun secureDelete(call: PluginCall) { SecurePrefs.get(context).edit().remove(call.getString("key")).commit(); call.resolve() }
    @PluginMethod fun secureKeys(call: PluginCall) = call.resolve(JSObject().put("keys", JSArray(SecurePrefs.get(context).all.keys.filter { it.startsWith(call.getString("prefix") ?: "") })))

    // Sync state + outbox: one file per key in filesDir, atomic via AtomicFile (write + rename).
    private fun file(key: String) = android.util.AtomicFile(java.io.File(context.filesDir, "openwearables/" + java.net.URLEncoder.encode(key, "UTF-8")).also { it.parentFile?.mkdirs() })
    @PluginMethod fun prefsGet(call: PluginCall) = call.resolve(JSObject().put("value", runCatching { String(file(call.getString("key")!!).readFully()) }.getOrNull()))
    @PluginMethod fun prefsSet(call: PluginCall) {
        val f = file(call.getString("key")!!); val out = f.startWrite()
        try { out.write(call.getString("value")!!.toByteArray()); f.finishWrite(out); call.resolve() } catch (e: Exception) { f.failWrite(out); call.reject(e.message) }
    }
    @PluginMethod fun prefsDelete(call: PluginCall) { file(call.getString("key")!!).delete(); call.resolve() }
    @PluginMethod fun prefsKeys(call: PluginCall) {
        val names = java.io.File(context.filesDir, "openwearables").list()?.map { java.net.URLDecoder.decode(it, "UTF-8") } ?: emptyList()
        call.resolve(JSObject().put("keys", JSArray(names.filter { it.startsWith(call.getString("prefix") ?: "") })))
    }
    @PluginMethod fun deviceInfo(call: PluginCall) = call.resolve(JSObject().put("manufacturer", android.os.Build.MANUFACTURER)
        .put("model", android.os.Build.MODEL).put("osVersion", android.os.Build.VERSION.RELEASE)
        .put("isDebugBuild", (context.applicationInfo.flags and android.content.pm.ApplicationInfo.FLAG_DEBUGGABLE) != 0))
}

/** WorkManager periodic work: asks the JS engine to run one background pass and waits for it (bounded). */
class SyncWorker(ctx: android.content.Context, params: WorkerParameters) : CoroutineWorker(ctx, params) {
    companion object {
        private val waiting = java.util.concurrent.ConcurrentHashMap<String, CompletableDeferred<Boolean>>()
        fun complete(id: String, ok: Boolean) { waiting.remove(id)?.complete(ok) }
    }
    override suspend fun doWork(): Result {
        val plugin = OpenWearablesHealthPlugin.instance ?: return Result.retry() // JS engine not running: next period
        val id = java.util.UUID.randomUUID().toString()
        val done = CompletableDeferred<Boolean>().also { waiting[id] = it }
        plugin.emitBackgroundTask(id)
        val ok = withTimeoutOrNull(9 * 60_000L) { done.await() } ?: false
        return if (ok) Result.success() else Result.retry()
    }
}

/** Record → contract JSON (field names as in Jetpack Health Connect). */
object RecordJson {
    fun serialize(key: String, r: Record): JSObject {
        val m = r.metadata
        val o = JSObject().put("platform", "healthconnect").put("recordType", key).put("id", m.id)
            .put("dataOrigin", m.dataOrigin.packageName).put("recordingMethod", m.recordingMethod).put("lastModified", m.lastModifiedTime.toEpochMilli())
        m.device?.let { o.put("device", JSObject().put("manufacturer", it.manufacturer).put("model", it.model).put("type", it.type)) }
        val f = JSObject()
        when (r) {
            is StepsRecord -> { span(o, r.startTime, r.endTime, r.startZoneOffset); f.put("count", r.count) }
            is HeartRateRecord -> { span(o, r.startTime, r.endTime, r.startZoneOffset)
                f.put("samples", JSArray(r.samples.map { JSObject().put("time", it.time.toEpochMilli()).put("beatsPerMinute", it.beatsPerMinute) })) }
            is BloodPressureRecord -> { span(o, r.time, r.time, r.zoneOffset); f.put("systolic", r.systolic.inMillimetersOfMercury)
                .put("diastolic", r.diastolic.inMillimetersOfMercury).put("bodyPosition", r.bodyPosition).put("measurementLocation", r.measurementLocation) }
            is WeightRecord -> { span(o, r.time, r.time, r.zoneOffset); f.put("weightKg", r.weight.inKilograms) }
            is SleepSessionRecord -> { span(o, r.startTime, r.endTime, r.startZoneOffset)
                f.put("stages", JSArray(r.stages.map { JSObject().put("start", it.startTime.toEpochMilli()).put("end", it.endTime.toEpochMilli()).put("stage", SleepStages.name(it.stage)) })) }
            is ExerciseSessionRecord -> { span(o, r.startTime, r.endTime, r.startZoneOffset)
                f.put("exerciseType", ExerciseTypes.name(r.exerciseType)).put("title", r.title).put("notes", r.notes) }
            // … the other record classes of RECORDS follow the same pattern (one field per value, names as in TypeScript's SIMPLE table).
            else -> span(o, java.time.Instant.EPOCH, java.time.Instant.EPOCH, null)
        }
        return o.put("fields", f)
    }
    private fun span(o: JSObject, start: java.time.Instant, end: java.time.Instant, zone: java.time.ZoneOffset?) {
        o.put("start", start.toEpochMilli()).put("end", end.toEpochMilli()).put("zoneOffsetSeconds", zone?.totalSeconds)
    }
}
