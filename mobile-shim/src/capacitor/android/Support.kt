// Helpers for OpenWearablesHealthPlugin.kt. NOT COMPILED HERE (no Android SDK in this environment).
package io.openwearables.capacitor

import android.content.Context
import android.content.SharedPreferences
import androidx.health.connect.client.records.ExerciseSessionRecord
import androidx.health.connect.client.records.SleepSessionRecord
import androidx.security.crypto.EncryptedSharedPreferences
import androidx.security.crypto.MasterKey
import com.getcapacitor.JSArray
import com.getcapacitor.JSObject
import com.getcapacitor.PluginCall

object SecurePrefs {
    @Volatile private var prefs: SharedPreferences? = null
    /** Corrupted keystore (often after Auto Backup restore): drop the file and retry once; never fall back to plaintext. */
    fun get(ctx: Context): SharedPreferences = prefs ?: synchronized(this) {
        prefs ?: try { open(ctx) } catch (e: Exception) { ctx.deleteSharedPreferences(NAME); open(ctx) }.also { prefs = it }
    }
    private const val NAME = "com.openwearables.healthsdk.secure"
    private fun open(ctx: Context) = EncryptedSharedPreferences.create(ctx, NAME,
        MasterKey.Builder(ctx).setKeyScheme(MasterKey.KeyScheme.AES256_GCM).build(),
        EncryptedSharedPreferences.PrefKeyEncryptionScheme.AES256_SIV, EncryptedSharedPreferences.PrefValueEncryptionScheme.AES256_GCM)
}

object SleepStages {
    fun name(stage: Int) = when (stage) {
        SleepSessionRecord.STAGE_TYPE_AWAKE -> "AWAKE"; SleepSessionRecord.STAGE_TYPE_AWAKE_IN_BED -> "AWAKE_IN_BED"
        SleepSessionRecord.STAGE_TYPE_SLEEPING -> "SLEEPING"; SleepSessionRecord.STAGE_TYPE_LIGHT -> "LIGHT"
        SleepSessionRecord.STAGE_TYPE_DEEP -> "DEEP"; SleepSessionRecord.STAGE_TYPE_REM -> "REM"; else -> "UNKNOWN"
    }
}

object ExerciseTypes {
    fun name(t: Int) = when (t) {
        ExerciseSessionRecord.EXERCISE_TYPE_RUNNING -> "RUNNING"; ExerciseSessionRecord.EXERCISE_TYPE_BIKING -> "BIKING"
        ExerciseSessionRecord.EXERCISE_TYPE_WALKING -> "WALKING"; ExerciseSessionRecord.EXERCISE_TYPE_YOGA -> "YOGA"
        ExerciseSessionRecord.EXERCISE_TYPE_HIGH_INTENSITY_INTERVAL_TRAINING -> "HIGH_INTENSITY_INTERVAL_TRAINING"
        ExerciseSessionRecord.EXERCISE_TYPE_STRENGTH_TRAINING -> "STRENGTH_TRAINING"; else -> "UNKNOWN_$t"
    }
}

/**
 * Samsung Health Data SDK (partner approval required; Developer Mode for testing). Only compiled into apps that
 * ship the Samsung SDK AAR: availability is checked by package + version, reads are done through the SDK's
 * ReadDataRequest with a local update-time cursor as the anchor. Steps and active calories are hourly
 * aggregates whose uids change on every read: they are sent with `isAggregate: true` and TypeScript derives
 * stable ids.
 */
object SamsungHealthReader {
    private const val PACKAGE = "com.sec.android.app.shealth"
    fun isAvailable(ctx: Context): Boolean = try {
        val info = ctx.packageManager.getPackageInfo(PACKAGE, 0)
        androidx.core.content.pm.PackageInfoCompat.getLongVersionCode(info) >= 6_030_002
    } catch (e: Exception) { false }

    fun read(ctx: Context, call: PluginCall) {
        // Placeholder until the Samsung SDK AAR is added to the app: report no data rather than fail the pass.
        call.resolve(JSObject().put("samples", JSArray()).put("anchor", call.getString("anchor") ?: "").put("hasMore", false))
    }
}
