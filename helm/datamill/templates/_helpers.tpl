{{/*
Names, labels and the pieces every Deployment shares.
*/}}

{{- define "datamill.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "datamill.fullname" -}}
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

{{- define "datamill.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The components: values key → name suffix (also the app.kubernetes.io/component label). */}}
{{- define "datamill.components" -}}
gateway: api-gateway
registry: dataset-registry
pipelineWorker: pipeline-worker
edaWorker: eda-worker
nginx: nginx
{{- end }}

{{/* Name of a component's objects. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "datamill.componentName" -}}
{{- $suffix := get (include "datamill.components" .root | fromYaml) .component }}
{{- printf "%s-%s" (include "datamill.fullname" .root | trunc 46 | trimSuffix "-") $suffix }}
{{- end }}

{{- define "datamill.labels" -}}
helm.sh/chart: {{ include "datamill.chart" . }}
app.kubernetes.io/name: {{ include "datamill.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: datamill
{{- end }}

{{/* Selector labels of one component. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "datamill.selectorLabels" -}}
app.kubernetes.io/name: {{ include "datamill.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ get (include "datamill.components" .root | fromYaml) .component }}
{{- end }}

{{- define "datamill.componentLabels" -}}
{{ include "datamill.labels" .root }}
app.kubernetes.io/component: {{ get (include "datamill.components" .root | fromYaml) .component }}
{{- end }}

{{- define "datamill.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "datamill.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image of a component: repository:tag (tag defaults to the appVersion). */}}
{{- define "datamill.image" -}}
{{- $c := index .root.Values .component }}
{{- printf "%s:%s" $c.image.repository (default .root.Chart.AppVersion $c.image.tag | toString) }}
{{- end }}

{{/* The Secret that holds the database URL, and its keys. */}}
{{- define "datamill.databaseSecretName" -}}
{{- if .Values.database.existingSecret }}
{{- .Values.database.existingSecret }}
{{- else }}
{{- printf "%s-database" (include "datamill.fullname" .) }}
{{- end }}
{{- end }}

{{- define "datamill.databaseSecretKey" -}}
{{- .Values.database.secretKey }}
{{- end }}

{{- define "datamill.kedaSecretKey" -}}
{{- default .Values.database.secretKey .Values.database.kedaSecretKey }}
{{- end }}

{{/* DATABASE_URL from the Secret. */}}
{{- define "datamill.databaseUrlEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "datamill.databaseSecretName" . }}
      key: {{ include "datamill.databaseSecretKey" . }}
{{- end }}

{{/* LOG_FORMAT and LOG_LEVEL. */}}
{{- define "datamill.loggingEnv" -}}
- name: LOG_FORMAT
  value: {{ .Values.logging.format | quote }}
- name: LOG_LEVEL
  value: {{ .Values.logging.level | quote }}
{{- end }}

{{/* A component's `env` map (the variables of docs/operations.md), null entries left out. */}}
{{- define "datamill.envMap" -}}
{{- $vars := list }}
{{- range $name, $value := .env }}
{{- if not (kindIs "invalid" $value) }}
{{- $vars = append $vars (dict "name" $name "value" (toString $value)) }}
{{- end }}
{{- end }}
{{- with $vars }}{{ toYaml . }}{{ end }}
{{- end }}

{{/* The NAS volume (pod spec `volumes` entry). */}}
{{- define "datamill.nasVolume" -}}
- name: nas
{{- if .Values.nas.existingClaim }}
  persistentVolumeClaim:
    claimName: {{ .Values.nas.existingClaim }}
{{- else }}
  hostPath:
    path: {{ .Values.nas.hostPath }}
    type: {{ .Values.nas.hostPathType }}
{{- end }}
{{- end }}

{{/* The NAS mount. Call with (dict "root" $ "readOnly" bool). */}}
{{- define "datamill.nasMount" -}}
- name: nas
  mountPath: {{ .root.Values.nas.mountPath }}
{{- with .root.Values.nas.subPath }}
  subPath: {{ . }}
{{- end }}
{{- if .readOnly }}
  readOnly: true
{{- end }}
{{- end }}

{{/* Pod security context of a Rust component: the top-level one with the component's merged over it. */}}
{{- define "datamill.podSecurityContext" -}}
{{- $c := index .root.Values .component }}
{{- toYaml (mustMergeOverwrite (deepCopy .root.Values.podSecurityContext) (deepCopy $c.podSecurityContext)) }}
{{- end }}

{{- define "datamill.containerSecurityContext" -}}
{{- $c := index .root.Values .component }}
{{- toYaml (mustMergeOverwrite (deepCopy .root.Values.containerSecurityContext) (deepCopy $c.containerSecurityContext)) }}
{{- end }}

{{/*
Pod-level fields every component shares: service account, pull secrets, security context,
scheduling, grace period. Call with (dict "root" $ "component" "gateway" "securityContext" yaml).
*/}}
{{- define "datamill.podCommon" -}}
{{- $root := .root }}
{{- $c := index $root.Values .component -}}
serviceAccountName: {{ include "datamill.serviceAccountName" $root }}
automountServiceAccountToken: false
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- .securityContext | nindent 2 }}
terminationGracePeriodSeconds: {{ $c.terminationGracePeriodSeconds }}
{{- with $c.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Pod template metadata. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "datamill.podMetadata" -}}
{{- $root := .root }}
{{- $c := index $root.Values .component -}}
labels:
  {{- include "datamill.componentLabels" . | nindent 2 }}
  {{- with $c.podLabels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- $annotations := deepCopy ($c.podAnnotations | default dict) }}
{{- if and (not $root.Values.database.existingSecret) (ne .component "gateway") (ne .component "nginx") }}
{{- $_ := set $annotations "checksum/database" (include (print $root.Template.BasePath "/secret-database.yaml") $root | sha256sum) }}
{{- end }}
{{- with $annotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* The backlog + in-flight query of a queue for KEDA's postgresql trigger (apalis-postgres 1.0). */}}
{{- define "datamill.queueDepthQuery" -}}
SELECT COUNT(*) FROM apalis.jobs WHERE job_type = '{{ . }}' AND (((status = 'Pending' OR (status = 'Failed' AND attempts < max_attempts)) AND run_at <= now()) OR status IN ('Queued', 'Running'))
{{- end }}
