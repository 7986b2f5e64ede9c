{{/* Names, labels and the pieces every component template shares. */}}

{{- define "dsensor.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "dsensor.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* "<fullname>-<component>", kept within 63 characters */}}
{{- define "dsensor.componentName" -}}
{{- printf "%s-%s" (include "dsensor.fullname" .root | trunc 45 | trimSuffix "-") .component }}
{{- end }}

{{- define "dsensor.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "dsensor.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dsensor.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "dsensor.labels" -}}
helm.sh/chart: {{ include "dsensor.chart" .root }}
{{ include "dsensor.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: dsensor
{{- end }}

{{/* Labels of objects that belong to no single component */}}
{{- define "dsensor.commonLabels" -}}
helm.sh/chart: {{ include "dsensor.chart" . }}
app.kubernetes.io/name: {{ include "dsensor.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: dsensor
{{- end }}

{{- define "dsensor.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "dsensor.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "dsensor.secretName" -}}
{{- printf "%s-secrets" (include "dsensor.fullname" .) }}
{{- end }}

{{/* The image of a component: its own repository/tag, else the chart's */}}
{{- define "dsensor.image" -}}
{{- $repo := default .root.Values.image.repository .values.image.repository }}
{{- $tag := default (default .root.Chart.AppVersion .root.Values.image.tag) .values.image.tag }}
{{- printf "%s:%s" $repo $tag }}
{{- end }}

{{/* Where the stats clients send metadata */}}
{{- define "dsensor.consoleAddress" -}}
{{- if .Values.console.enabled }}
{{- printf "%s.%s.svc:%d" (include "dsensor.componentName" (dict "root" . "component" "console")) .Release.Namespace (int .Values.console.service.grpcPort) }}
{{- else }}
{{- required "console.externalAddress is required when console.enabled is false" .Values.console.externalAddress }}
{{- end }}
{{- end }}

{{- define "dsensor.kafkaBrokers" -}}
{{- if .Values.kafka.embedded.enabled }}
{{- list (printf "%s.%s.svc:%d" (include "dsensor.componentName" (dict "root" . "component" "kafka")) .Release.Namespace (int .Values.kafka.embedded.port)) | toJson }}
{{- else }}
{{- if not .Values.kafka.external.brokers }}
{{- fail "kafka.external.brokers is required when kafka.embedded.enabled is false" }}
{{- end }}
{{- .Values.kafka.external.brokers | toJson }}
{{- end }}
{{- end }}

{{/* The sensor's Kafka connection section (keys of sensor_core.kafka_settings.KafkaSettings) */}}
{{- define "dsensor.kafkaSettings" -}}
{{- $kafka := dict "brokers" (include "dsensor.kafkaBrokers" . | fromJsonArray) }}
{{- if not .Values.kafka.embedded.enabled }}
{{- $ext := .Values.kafka.external }}
{{- $_ := set $kafka "tls" $ext.tls }}
{{- if $ext.tls }}
{{- $tlsconfig := dict "insecureskipverify" $ext.tlsconfig.insecureskipverify }}
{{- if $ext.tlsconfig.caBundle }}
{{- $_ := set $tlsconfig "cafile" "/etc/dsensor/kafka-ca/ca.crt" }}
{{- end }}
{{- $_ := set $kafka "tlsconfig" $tlsconfig }}
{{- end }}
{{- if $ext.sasl }}
{{- $_ := set $kafka "sasl" true }}
{{- $_ := set $kafka "user" (required "kafka.external.user is required when kafka.external.sasl is true" $ext.user) }}
{{- $_ := set $kafka "saslmechanism" $ext.saslmechanism }}
{{- end }}
{{- end }}
{{- toJson $kafka }}
{{- end }}

{{/* The stats client section of the digger and the crawler */}}
{{- define "dsensor.statsClient" -}}
{{- $stats := dict "address" (include "dsensor.consoleAddress" .root) "clustername" .root.Values.clusterName "sensorid" .sensorid }}
{{- if and (not .root.Values.console.enabled) .root.Values.console.tls }}
{{- $_ := set $stats "tls" true }}
{{- if .root.Values.console.caBundle }}
{{- $_ := set $stats "cafile" "/etc/dsensor/console-ca/ca.crt" }}
{{- end }}
{{- end }}
{{- toJson $stats }}
{{- end }}

{{- define "dsensor.diggerSensorId" -}}
{{- default (printf "%s-dim" (include "dsensor.fullname" .)) .Values.digger.sensorId }}
{{- end }}

{{- define "dsensor.crawlerSensorId" -}}
{{- default (printf "%s-dar" (include "dsensor.fullname" .)) .Values.crawler.sensorId }}
{{- end }}

{{/* NO_PROXY: the user's list plus every in-cluster name the sensors talk to */}}
{{- define "dsensor.noProxy" -}}
{{- $names := list }}
{{- if .Values.httpsProxyNoProxy }}
{{- $names = append $names .Values.httpsProxyNoProxy }}
{{- end }}
{{- $names = concat $names (list "localhost" "127.0.0.1" ".svc" ".cluster.local" "kubernetes.default.svc") }}
{{- range $component := list "console" "detection-tool" "kafka" }}
{{- $names = append $names (include "dsensor.componentName" (dict "root" $ "component" $component)) }}
{{- end }}
{{- join "," $names }}
{{- end }}

{{- define "dsensor.proxyEnv" -}}
{{- if .Values.httpsProxy }}
- name: HTTPS_PROXY
  value: {{ .Values.httpsProxy | quote }}
- name: https_proxy
  value: {{ .Values.httpsProxy | quote }}
- name: NO_PROXY
  value: {{ include "dsensor.noProxy" . | quote }}
- name: no_proxy
  value: {{ include "dsensor.noProxy" . | quote }}
{{- end }}
{{- end }}

{{/* An env entry read from the chart's Secret */}}
{{- define "dsensor.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "dsensor.secretName" .root }}
      key: {{ .name }}
{{- end }}

{{/* Pod-level fields every component shares */}}
{{- define "dsensor.podPlacement" -}}
{{- with .values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end }}

{{/* command/args: image.command and image.args win over the component's defaults */}}
{{- define "dsensor.command" -}}
command:
  {{- toYaml (default .command .values.image.command) | nindent 2 }}
{{- $args := default .args .values.image.args }}
{{- with $args }}
args:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{- define "dsensor.probes" -}}
{{- with .livenessProbe }}
livenessProbe:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .readinessProbe }}
readinessProbe:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* The config file of a component: the chart's keys, then the user's `config` over them */}}
{{- define "dsensor.configFile" -}}
{{- $merged := mustMergeOverwrite (dict) .base (deepCopy .values.config) }}
{{- toYaml $merged }}
{{- end }}

{{- define "dsensor.podAnnotations" -}}
checksum/config: {{ .config | sha256sum }}
{{- with .values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* CA bundles from values, in one ConfigMap: the external console's and the external Kafka's */}}
{{- define "dsensor.caData" -}}
{{- $data := dict }}
{{- if and (not .Values.console.enabled) .Values.console.tls .Values.console.caBundle }}
{{- $_ := set $data "console-ca.crt" .Values.console.caBundle }}
{{- end }}
{{- if and (not .Values.kafka.embedded.enabled) .Values.kafka.external.tls .Values.kafka.external.tlsconfig.caBundle }}
{{- $_ := set $data "kafka-ca.crt" .Values.kafka.external.tlsconfig.caBundle }}
{{- end }}
{{- toJson $data }}
{{- end }}

{{- define "dsensor.caMounts" -}}
{{- $data := include "dsensor.caData" . | fromJson }}
{{- if hasKey $data "console-ca.crt" }}
- name: ca-bundles
  mountPath: /etc/dsensor/console-ca/ca.crt
  subPath: console-ca.crt
  readOnly: true
{{- end }}
{{- if hasKey $data "kafka-ca.crt" }}
- name: ca-bundles
  mountPath: /etc/dsensor/kafka-ca/ca.crt
  subPath: kafka-ca.crt
  readOnly: true
{{- end }}
{{- end }}

{{- define "dsensor.caVolumes" -}}
{{- if include "dsensor.caData" . | fromJson }}
- name: ca-bundles
  configMap:
    name: {{ include "dsensor.componentName" (dict "root" . "component" "ca") }}
{{- end }}
{{- end }}
